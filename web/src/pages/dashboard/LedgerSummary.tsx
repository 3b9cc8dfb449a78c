/**
 * Today's ledger figures: accounts, turnover, whether the books balance, accounts by type. Read from the ledger's
 * summary (GET /api/v1/ledger/summary: by type and code prefix, the trial balance's totals) rather than the trial
 * balance itself, which lists every account — four memo accounts per loan.
 */
import { Alert, Card, Col, Row, Statistic } from 'antd';
import { api } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { BarChart } from '../../components/BarChart';
import { LoadProblem } from '../../components/LoadProblem';
import { ACCOUNT_TYPE_LABELS, label } from '../../format/labels';
import { formatAmount } from '../../format/money';

export function LedgerSummary() {
  const { data, problem, loading } = useLoad(() => api.GET('/api/v1/ledger/summary'), []);
  if (problem) return <LoadProblem problem={problem} />;
  const accountCount = data?.accounts ?? 0;
  const countsByType = new Map<string, number>();
  for (const group of data?.groups ?? []) countsByType.set(group.type, (countsByType.get(group.type) ?? 0) + group.accounts);
  const balanced = data ? data.totalDebits === data.totalCredits : undefined;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={12} xl={6}>
        <Card loading={loading}>
          <Statistic title="账户数" value={accountCount} />
        </Card>
      </Col>
      <Col xs={24} md={12} xl={6}>
        <Card loading={loading}>
          <Statistic title="借方发生额合计" value={data ? formatAmount(data.totalDebits) : '—'} />
        </Card>
      </Col>
      <Col xs={24} md={12} xl={6}>
        <Card loading={loading}>
          <Statistic title="贷方发生额合计" value={data ? formatAmount(data.totalCredits) : '—'} />
        </Card>
      </Col>
      <Col xs={24} md={12} xl={6}>
        <Card loading={loading}>
          <Statistic
            title="试算平衡"
            value={balanced === undefined ? '—' : balanced ? '借贷平衡' : '不平衡'}
            styles={{ content: { color: balanced === false ? '#b3261e' : '#1a7f37' } }}
          />
        </Card>
      </Col>
      <Col xs={24}>
        <Card title="各类账户数量" loading={loading}>
          {accountCount > 0 ? (
            <BarChart
              title="各类账户数量"
              bars={[...countsByType].map(([type, count]) => ({ label: label(ACCOUNT_TYPE_LABELS, type), value: count }))}
            />
          ) : (
            <Alert type="info" showIcon title="账簿中还没有账户" />
          )}
        </Card>
      </Col>
    </Row>
  );
}
