/**
 * A claim's 计算过程 shown as the run trace is (web/src/pages/subsidy/TraceDrawer.tsx): the overdue test, the
 * unrecovered principal, the IP share, the covered loss unrounded → rounded, the fund's share, each cap that cut it,
 * the bank's non-performing ratio, the refusals and the interpretations, each figure in its unit. The trace is the
 * fund's JSON (src/fund/compute.ts `ClaimTrace`); money in it is fen as strings.
 */
import { Alert, Descriptions, Table, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formatAmount } from '../../format/money';
import { formatDays, formatFenText, formatPercent } from '../../format/figures';
import { FUNDING_BODY_LABELS, label } from '../../format/labels';

interface CapStep {
  step: string;
  limitFen: string;
  beforeFen: string;
  afterFen: string;
  cutFen: string;
}

interface ClaimTrace {
  clauses?: string[];
  claimDate?: string;
  overdue?: { firstOverdueDate: string | null; firstDefaultDate: string | null; daysOverdue: number | null; claimAfterDaysOverdue: number };
  unrecoveredPrincipalFen?: string;
  ipShare?: { collateral: string; ipPledgedFen: string; principalFen: string; value: string };
  coveredLoss?: { unroundedFen: string; roundedFen: string };
  fundShare?:
    | { rule: 'flat'; share: string; unroundedFen: string; roundedFen: string }
    | { rule: 'tiers'; tiers: Array<{ fromFen: string; upToFen: string | null; share: string; portionFen: string; partFen: string }>; roundedFen: string; effectiveShare: string }
    | { rule: 'parties'; parties: Array<{ party: string; weight: string; amountFen: string }>; share: string; roundedFen: string };
  fundPartFen?: string;
  caps?: CapStep[];
  nonPerforming?: { coveredFen: string; nonPerformingCoveredFen: string; ratio: string; suspensionRatio: string | null; suspended: boolean };
  amountFen?: string;
  interpretations?: Array<{ parameter: string; text: string }>;
  refusals?: Array<{ code: string; message: string }>;
}

export const CLAIM_CAP_LABELS: Record<string, string> = {
  cap_per_loan: '单笔贷款代偿上限',
  already_claimed_on_loan: '该贷款已申请的代偿',
  cap_per_borrower_per_year: '每户年度代偿上限',
  cap_per_bank_per_year: '每家银行年度代偿上限',
  cap_per_year: '资金池年度代偿上限',
};

export const CLAIM_REFUSAL_LABELS: Record<string, string> = {
  loan_settled: '贷款已结清，不能申请代偿',
  not_in_default: '申请日前贷款没有违约记录',
  not_overdue: '申请日前贷款没有逾期记录',
  overdue_too_short: '逾期天数未达到申请代偿的要求',
  bank_suspended: '银行的不良率高于暂停阈值，暂停代偿',
  nothing_outstanding: '贷款已无未收回本金',
  nothing_left_to_claim: '扣除上限和已申请代偿后，没有可代偿的金额',
};

const CLAIM_INTERPRETATION_LABELS: Record<string, string> = {
  ipShare: '知识产权占比 = 知识产权质押部分 ÷ 本金（纯知识产权质押为 1）：组合贷款只对合同载明的知识产权部分代偿',
  claimAfterDaysOverdue: '逾期天数自首次逾期之日算至申请日；申请日前还须有违约记录',
  suspensionRatio: '不良率 = 该行入池贷款中逾期或违约的覆盖本金 ÷ 全部入池覆盖本金（申请日）；高于暂停阈值时不予代偿',
  shareTiers: '各档比例适用于覆盖损失（未收回本金 × 知识产权占比）落在该档的部分，超过最高档的部分按损失分担比例',
  capPerLoan: '单笔贷款上限约束该贷款全部未驳回代偿的合计',
  'capPerBorrowerPerYear, capPerBankPerYear, capPerYear': '年度上限（每户、每家银行、资金池）按申请日所在年度计，未驳回的代偿都计入，在单笔上限之后依次适用',
};

const Fen = ({ value }: { value: string | null | undefined }) => <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{formatFenText(value)}</span>;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section style={{ marginTop: 16 }}>
      <Typography.Title level={3} style={{ fontSize: 15, marginBottom: 8 }}>
        {title}
      </Typography.Title>
      {children}
    </section>
  );
}

export function ClaimTraceView({ amount, date, fundVersion, trace: raw }: { amount: string; date: string; fundVersion: number; trace: unknown }) {
  const trace = (raw ?? {}) as ClaimTrace;
  const share = trace.fundShare;
  return (
    <>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label="代偿金额">{formatAmount(amount)}</Descriptions.Item>
        <Descriptions.Item label="申请日期">{date}</Descriptions.Item>
        <Descriptions.Item label="适用规则版本">第 {fundVersion} 版</Descriptions.Item>
        {trace.clauses && trace.clauses.length > 0 && <Descriptions.Item label="引用条款">{trace.clauses.join('；')}</Descriptions.Item>}
      </Descriptions>

      {(trace.refusals ?? []).length > 0 && (
        <Section title="不予代偿的原因">
          {(trace.refusals ?? []).map((refusal) => (
            <Alert key={refusal.code} type="warning" showIcon style={{ marginBottom: 8 }} title={CLAIM_REFUSAL_LABELS[refusal.code] ?? '不符合代偿条件'} />
          ))}
        </Section>
      )}

      {trace.overdue && (
        <Section title="逾期与违约">
          <Descriptions column={1} size="small">
            <Descriptions.Item label="首次逾期">{trace.overdue.firstOverdueDate ?? '无'}</Descriptions.Item>
            <Descriptions.Item label="首次违约">{trace.overdue.firstDefaultDate ?? '无'}</Descriptions.Item>
            <Descriptions.Item label="逾期天数">
              {formatDays(trace.overdue.daysOverdue)}（须不少于 {formatDays(trace.overdue.claimAfterDaysOverdue)}）
            </Descriptions.Item>
          </Descriptions>
        </Section>
      )}

      {trace.coveredLoss && (
        <Section title="覆盖损失（未收回本金 × 知识产权占比）">
          <Descriptions column={1} size="small">
            <Descriptions.Item label="未收回本金">
              <Fen value={trace.unrecoveredPrincipalFen} />
            </Descriptions.Item>
            {trace.ipShare && (
              <Descriptions.Item label="知识产权占比">
                <Fen value={trace.ipShare.ipPledgedFen} /> ÷ <Fen value={trace.ipShare.principalFen} /> = {formatPercent(trace.ipShare.value)}
              </Descriptions.Item>
            )}
            <Descriptions.Item label="覆盖损失（四舍五入到分）">
              <Fen value={trace.coveredLoss.roundedFen} />
            </Descriptions.Item>
          </Descriptions>
        </Section>
      )}

      {share && (
        <Section title="资金池分担">
          {share.rule === 'flat' && (
            <Typography.Paragraph>
              覆盖损失 × 分担比例 {formatPercent(share.share)} = <Fen value={share.roundedFen} />
            </Typography.Paragraph>
          )}
          {share.rule === 'tiers' && (
            <Table
              size="small"
              pagination={false}
              rowKey="fromFen"
              dataSource={share.tiers}
              columns={[
                { title: '档次', key: 'range', render: (_, tier) => <><Fen value={tier.fromFen} /> 至 {tier.upToFen ? <Fen value={tier.upToFen} /> : '以上'}</> },
                { title: '比例', dataIndex: 'share', render: (value: string) => formatPercent(value) },
                { title: '该档损失', dataIndex: 'portionFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                { title: '资金池承担', dataIndex: 'partFen', align: 'right', render: (value: string) => <Fen value={value} /> },
              ]}
            />
          )}
          {share.rule === 'parties' && (
            <Table
              size="small"
              pagination={false}
              rowKey="party"
              dataSource={share.parties}
              columns={[
                { title: '分担方', dataIndex: 'party', render: (party: string) => label({ ...FUNDING_BODY_LABELS, fund: '资金池', bank: '合作银行', insurer: '保险机构', guarantor: '担保机构' }, party) },
                { title: '权重', dataIndex: 'weight' },
                { title: '金额', dataIndex: 'amountFen', align: 'right', render: (value: string) => <Fen value={value} /> },
              ]}
            />
          )}
          <Typography.Paragraph style={{ marginTop: 8 }}>
            资金池应承担 <Fen value={trace.fundPartFen} />
          </Typography.Paragraph>
        </Section>
      )}

      <Section title="上限">
        {(trace.caps ?? []).length === 0 ? (
          <Typography.Paragraph type="secondary">没有上限削减此项代偿。</Typography.Paragraph>
        ) : (
          <Table
            size="small"
            pagination={false}
            rowKey="step"
            dataSource={trace.caps}
            columns={[
              { title: '上限 / 扣减', dataIndex: 'step', render: (step: string) => CLAIM_CAP_LABELS[step] ?? '其他上限' },
              { title: '限额', dataIndex: 'limitFen', align: 'right', render: (value: string) => <Fen value={value} /> },
              { title: '调整前', dataIndex: 'beforeFen', align: 'right', render: (value: string) => <Fen value={value} /> },
              { title: '削减', dataIndex: 'cutFen', align: 'right', render: (value: string) => <Fen value={value} /> },
              { title: '调整后', dataIndex: 'afterFen', align: 'right', render: (value: string) => <Fen value={value} /> },
            ]}
          />
        )}
      </Section>

      {trace.nonPerforming && (
        <Section title="银行不良率">
          <Typography.Paragraph>
            逾期或违约的入池本金 <Fen value={trace.nonPerforming.nonPerformingCoveredFen} /> ÷ 入池本金 <Fen value={trace.nonPerforming.coveredFen} /> ={' '}
            {formatPercent(trace.nonPerforming.ratio)}
            {trace.nonPerforming.suspensionRatio ? `（暂停阈值 ${formatPercent(trace.nonPerforming.suspensionRatio)}，${trace.nonPerforming.suspended ? '已超过，暂停代偿' : '未超过'}）` : ''}
          </Typography.Paragraph>
        </Section>
      )}

      {(trace.interpretations ?? []).length > 0 && (
        <Section title="解释与适用">
          <ul style={{ paddingLeft: 20 }}>
            {(trace.interpretations ?? []).map((item) => (
              <li key={item.parameter}>{CLAIM_INTERPRETATION_LABELS[item.parameter] ?? '按资金池规则适用'}</li>
            ))}
          </ul>
        </Section>
      )}
    </>
  );
}
