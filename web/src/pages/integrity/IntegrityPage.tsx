/**
 * 完整性核验: the hash chains of the audit log and the ledger recomputed on the server (GET /api/v1/integrity/verify),
 * the first record that breaks each one, and the daily statement (GET /api/v1/integrity/statements/{date}) to keep
 * outside the system (README "Security", "Hash chains and the verifier").
 */
import { CheckCircleOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Descriptions, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, networkProblem, type Problem } from '../../api/client';
import { download } from '../../api/download';
import type { paths } from '../../api/schema';
import { LoadProblem } from '../../components/LoadProblem';
import { PageTitle } from '../../components/PageTitle';
import { StatusTag } from '../../components/StatusTag';
import { chinaToday, DATE_FORMAT, formatInstant } from '../../format/date';

type Report = paths['/api/v1/integrity/verify']['get']['responses'][200]['content']['application/json'];
type ChainReport = Report['chains'][number];

const CHAIN_LABELS: Record<ChainReport['chain'], { title: string; unit: string; row: string }> = {
  audit_log: { title: '审计日志', unit: '条记录', row: '审计记录' },
  ledger: { title: '账本', unit: '笔分录', row: '分录' },
};

/** What each break means, for the clerk; the server's own message (English) stays in the API and the CLI. */
const BREAK_LABELS: Record<string, string> = {
  content_changed: '内容与其哈希不符：写入后被改动过',
  link_broken: '与前一条的哈希链断开：其前有记录被删除，或被改动后重算了哈希',
  row_missing: '链中记载的记录已不存在，或链的位置有缺号',
  not_in_chain: '记录未进入哈希链：写入时绕过了数据库的登记',
  malformed: '内容不完整，未涵盖应有的字段',
  out_of_order: '记录顺序错乱',
  unbalanced: '分录借贷不平',
  shorter_than_head: '链尾的记录被删除：链比登记的链头短',
  anchor_mismatch: '与此前保存的链头（日报）不符：此前的历史被改写',
};

/** One history: the audit log's 16 chains, or the ledger's 16 (a transaction's rows go to one of them). */
function ChainCard({ chain, reports }: { chain: ChainReport['chain']; reports: ChainReport[] }) {
  const labels = CHAIN_LABELS[chain];
  const rows = reports.reduce((sum, report) => sum + report.rows, 0);
  const broken = reports.filter((report) => !report.ok);
  const ok = broken.length === 0;
  return (
    <Card title={labels.title} style={{ flex: 1, minWidth: 320 }} extra={ok ? <StatusTag tone="ok">完整</StatusTag> : <StatusTag tone="bad">已断开</StatusTag>}>
      <Descriptions column={1} size="small">
        <Descriptions.Item label="已核验">
          {rows.toLocaleString('zh-CN')} {labels.unit}
          {reports.length > 1 ? `（${reports.length} 条并行的链）` : ''}
        </Descriptions.Item>
        {reports.length === 1 && (
          <>
            <Descriptions.Item label="链头">{reports[0]!.lastId === null ? '—' : `${labels.row} ${reports[0]!.lastId}`}</Descriptions.Item>
            <Descriptions.Item label="链头哈希">
              <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
                {reports[0]!.lastHash}
              </Typography.Text>
            </Descriptions.Item>
          </>
        )}
      </Descriptions>
      {broken.map((report) => {
        const at = report.firstBreak!;
        const which = reports.length > 1 ? `第 ${report.shard} 条链` : '链';
        return (
          <Alert
            key={report.shard}
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            title={`${which}的第一处断点：${at.id === null ? '链尾' : `${labels.row} ${at.id}`}${at.position === null ? '' : `（第 ${at.position} 位）`}`}
            description={BREAK_LABELS[at.reason] ?? at.reason}
          />
        );
      })}
    </Card>
  );
}

export default function IntegrityPage() {
  const [report, setReport] = useState<Report>();
  const [problem, setProblem] = useState<Problem>();
  const [verifying, setVerifying] = useState(false);
  const [day, setDay] = useState<Dayjs>(() => chinaToday().subtract(1, 'day'));
  const [statementProblem, setStatementProblem] = useState<Problem>();

  const verify = async () => {
    setVerifying(true);
    setProblem(undefined);
    try {
      const outcome = await api.GET('/api/v1/integrity/verify');
      setReport(outcome.data);
      setProblem(outcome.error);
    } catch (failure) {
      setProblem(networkProblem(failure));
    } finally {
      setVerifying(false);
    }
  };

  const downloadStatement = async () => {
    const date = day.format(DATE_FORMAT);
    setStatementProblem(undefined);
    try {
      setStatementProblem(
        await download(
          () => api.GET('/api/v1/integrity/statements/{date}', { params: { path: { date } }, parseAs: 'blob' }),
          `完整性日报-${date}.json`,
        ),
      );
    } catch (failure) {
      setStatementProblem(networkProblem(failure));
    }
  };

  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" icon={<CheckCircleOutlined />} loading={verifying} onClick={() => void verify()}>
            核验哈希链
          </Button>
        }
      >
        完整性核验
      </PageTitle>
      <Typography.Paragraph type="secondary">
        审计日志的每一条记录、账本的每一笔分录（连同其各行）都带有“前一条的哈希 + 本条内容”的哈希，由数据库在写入时计算。核验会逐条重算，指出第一处断开的记录。
      </Typography.Paragraph>
      <LoadProblem problem={problem} />
      {report && (
        <>
          <Typography.Paragraph>
            核验时间 {formatInstant(report.verifiedAt)}：{report.ok ? '审计日志与账本的哈希链均完整。' : '发现断点，请联系系统管理员并保留本页结果。'}
          </Typography.Paragraph>
          <Space align="start" wrap style={{ width: '100%' }}>
            {(['audit_log', 'ledger'] as const).map((chain) => (
              <ChainCard key={chain} chain={chain} reports={report.chains.filter((item) => item.chain === chain)} />
            ))}
          </Space>
        </>
      )}
      <Card title="完整性日报" style={{ marginTop: 24 }}>
        <Typography.Paragraph type="secondary">
          某日结束（北京时间）时各条哈希链（审计日志与账本各 16 条）的记录数、链头与哈希，附校验摘要。请每日下载并在系统之外保存：日后若有人改写当日及以前的历史，核验时将与所存日报不符（运维人员以核验命令比对所存日报文件，见运维手册）。
        </Typography.Paragraph>
        <Space wrap>
          <DatePicker
            aria-label="日报日期"
            format={DATE_FORMAT}
            value={day}
            allowClear={false}
            disabledDate={(candidate) => !candidate.isBefore(chinaToday(), 'day')}
            onChange={(value) => value && setDay(value)}
          />
          <Button icon={<DownloadOutlined />} onClick={() => void downloadStatement()}>
            下载日报
          </Button>
        </Space>
        <LoadProblem problem={statementProblem} />
      </Card>
    </>
  );
}
