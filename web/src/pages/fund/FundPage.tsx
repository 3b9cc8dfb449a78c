/**
 * 风险补偿资金 (docs/api.md `/api/v1/funds…`): a fund's capital and contributions, its enrolled loans and the
 * leverage used, the claims queue (staff review → approve → pay, or reject with a reason) with each claim's trace,
 * and the cash statement for a date range with its export; staff set a fund up and change its rules from a date (each
 * change a new version), enrol loans and withdraw them, write off; a bank enrols its own loans, claims and records
 * recoveries, and reads its own enrolments and claims (not the fund's money). Every change is an OperationButton:
 * auditors see none.
 */
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { formatMultiple } from '../../format/figures';
import { Card, Col, Empty, Row, Select, Space, Statistic, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/session';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { FUNDING_BODY_LABELS, label } from '../../format/labels';
import { formatAmount } from '../../format/money';
import { ClaimsTab } from './ClaimsTab';
import { ContributionsTab } from './ContributionsTab';
import { EnrolmentsTab } from './EnrolmentsTab';
import { CreateFundDialog, FundVersionDialog } from './FundDialogs';
import { percentOf } from './percent';
import { StatementTab } from './StatementTab';
import { VersionsTab } from './VersionsTab';

export type Fund = paths['/api/v1/funds']['get']['responses'][200]['content']['application/json']['items'][number];

export default function FundPage() {
  const can = useCan();
  const funds = useLoad(() => allPages((cursor) => api.GET('/api/v1/funds', { params: { query: wholeListPage(cursor) } })), []);
  const [search, setSearch] = useSearchParams();
  const [fundId, setFundId] = useState<string | undefined>(search.get('fund') ?? undefined);
  useEffect(() => {
    if (!fundId && funds.data?.items[0]) setFundId(funds.data.items[0].id);
  }, [fundId, funds.data]);
  const fund = funds.data?.items.find((f) => f.id === fundId);
  const [generation, setGeneration] = useState(0);
  const changed = () => setGeneration((n) => n + 1);
  const [creating, setCreating] = useState(false);
  const [versioning, setVersioning] = useState(false);
  // A bank reads its own enrolments and claims; the fund's money (capital, cash, statement) is for staff, finance and auditors.
  const readsMoney = can('GET /api/v1/funds/{id}/kpis');
  const tab = search.get('tab') ?? (readsMoney ? 'contributions' : 'enrolments');

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            {(funds.data?.items.length ?? 0) > 1 && (
              <Select
                aria-label="选择资金"
                value={fundId}
                onChange={setFundId}
                style={{ width: 240 }}
                options={funds.data?.items.map((f) => ({ value: f.id, label: `${f.name}（${f.code}）` }))}
              />
            )}
            {fund && (
              <OperationButton operation="POST /api/v1/funds/{id}/versions" icon={<EditOutlined />} onClick={() => setVersioning(true)}>
                修订规则
              </OperationButton>
            )}
            <OperationButton operation="POST /api/v1/funds" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              设立资金
            </OperationButton>
          </Space>
        }
      >
        风险补偿资金
      </PageTitle>
      <LoadProblem problem={funds.problem} />
      {funds.data && funds.data.items.length === 0 && <Empty description="尚未设立风险补偿资金" />}
      {fund && (
        <>
          {readsMoney && <FundKpis fund={fund} generation={generation} />}
          <Tabs
            style={{ marginTop: 16 }}
            activeKey={tab}
            onChange={(key) => setSearch((previous) => ({ ...Object.fromEntries(previous), tab: key }), { replace: true })}
            items={[
              ...(readsMoney ? [{ key: 'contributions', label: '资金与出资', children: <ContributionsTab fund={fund} onChanged={changed} /> }] : []),
              { key: 'enrolments', label: '入池贷款', children: <EnrolmentsTab fund={fund} onChanged={changed} /> },
              { key: 'claims', label: '代偿申请', children: <ClaimsTab fund={fund} onChanged={changed} /> },
              { key: 'rules', label: '规则版本', children: <VersionsTab fund={fund} /> },
              ...(readsMoney ? [{ key: 'statement', label: '对账单', children: <StatementTab fund={fund} generation={generation} /> }] : []),
            ]}
          />
        </>
      )}
      {creating && (
        <CreateFundDialog
          onClose={() => setCreating(false)}
          onDone={(id) => {
            setCreating(false);
            setFundId(id);
            funds.reload();
          }}
        />
      )}
      {versioning && fund && (
        <FundVersionDialog
          fund={fund}
          onClose={() => setVersioning(false)}
          onDone={() => {
            setVersioning(false);
            funds.reload();
            changed();
          }}
        />
      )}
    </>
  );
}

/** Capital, cash, covered principal against capital × leverage, claims paid (GET /api/v1/funds/{id}/kpis). */
function FundKpis({ fund, generation }: { fund: Fund; generation: number }) {
  const kpis = useLoad(() => api.GET('/api/v1/funds/{id}/kpis', { params: { path: { id: fund.id } } }), [fund.id, generation]);
  const k = kpis.data;
  const figure = (title: string, value: string | undefined, extra?: string) => (
    <Col xs={24} sm={12} xl={4}>
      <Card loading={kpis.loading && !k} size="small">
        <Statistic title={title} value={value ?? '—'} />
        {extra && <Typography.Text type="secondary">{extra}</Typography.Text>}
      </Card>
    </Col>
  );
  return (
    <>
      <LoadProblem problem={kpis.problem} />
      <Row gutter={[16, 16]}>
        {figure('资金规模（累计出资）', k && formatAmount(k.capital))}
        {figure('资金余额', k && formatAmount(k.cash))}
        {figure('入池贷款本金', k && formatAmount(k.coveredPrincipal), k && `上限 ${formatAmount(k.leverageLimit)}（${formatMultiple(fund.leverage)}）`)}
        {figure('已用放大倍数', k && formatMultiple(k.leverageUsed), k && `占上限 ${percentOf(k.coveredPrincipal, k.leverageLimit)}`)}
        {figure('已赔付', k && formatAmount(k.claimsPaid), k && `已批未付 ${formatAmount(k.claimsApprovedUnpaid)}`)}
        {figure('已追回', k && formatAmount(k.recovered), k && `核销 ${formatAmount(k.writtenOff)}`)}
      </Row>
      {k && k.capitalByBody.length > 0 && (
        <Space style={{ marginTop: 8 }} wrap>
          <Typography.Text type="secondary">截至 {k.asOf} 各方出资：</Typography.Text>
          {k.capitalByBody.map((c) => (
            <Typography.Text key={c.body}>
              {label(FUNDING_BODY_LABELS, c.body)} {formatAmount(c.amount)}
            </Typography.Text>
          ))}
        </Space>
      )}
    </>
  );
}
