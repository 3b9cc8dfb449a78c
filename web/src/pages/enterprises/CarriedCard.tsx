/**
 * What the contribution cap carried forward for this enterprise and not yet paid: each run's carry-out of the
 * enterprise (《关于全面加强知识产权工作的实施意见》 § 22, "剩余补助金额可在后两年内兑现"), newest run first, and what
 * lapsed. Read from the runs the reader may see (GET /api/v1/subsidy-runs, then each run's carryOut).
 */
import { Card, Table, Typography } from 'antd';
import { api } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { LoadProblem } from '../../components/LoadProblem';

/** Runs read: the carry of a year is paid within two years, so the newest runs hold every amount still open. */
const RUNS_READ = 12;

interface CarriedRow {
  key: string;
  run: string;
  originYear: number;
  amount: string;
  state: string;
}

export function CarriedCard({ uscc }: { uscc: string }) {
  const carried = useLoad(async () => {
    const runs = await api.GET('/api/v1/subsidy-runs', { params: { query: { sort: '-year', limit: RUNS_READ } } });
    if (!runs.data) return { error: runs.error };
    const rows: CarriedRow[] = [];
    for (const summary of runs.data.items) {
      const run = await api.GET('/api/v1/subsidy-runs/{id}', { params: { path: { id: summary.id } } });
      if (!run.data) return { error: run.error };
      for (const carry of run.data.carryOut.filter((item) => item.uscc === uscc)) {
        rows.push({ key: `${summary.id}:c:${carry.originYear}`, run: summary.title, originYear: carry.originYear, amount: carry.amount, state: '结转待兑现' });
      }
      for (const lapse of run.data.lapsed.filter((item) => item.uscc === uscc)) {
        rows.push({ key: `${summary.id}:l:${lapse.originYear}`, run: summary.title, originYear: lapse.originYear, amount: lapse.amount, state: '逾期未兑现，已失效' });
      }
    }
    return { data: rows };
  }, [uscc]);
  return (
    <Card title="超出地方贡献额的结转补助" style={{ marginBottom: 16 }}>
      <LoadProblem problem={carried.problem} onRetry={carried.reload} />
      <Table<CarriedRow>
        size="small"
        rowKey="key"
        loading={carried.loading}
        pagination={false}
        dataSource={carried.data ?? []}
        // antd greys a plain empty text below WCAG AA contrast; a secondary text keeps ≥ 4.5:1.
        locale={{ emptyText: <Typography.Text type="secondary">没有结转的补助</Typography.Text> }}
        columns={[
          { title: '贴息批次', dataIndex: 'run' },
          { title: '补助所属年度', dataIndex: 'originYear', render: (year: number) => `${year} 年` },
          { title: '金额', dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '状态', dataIndex: 'state' },
        ]}
      />
    </Card>
  );
}
