/** Each fund's capital, leverage used and claims paid (GET /api/v1/funds, then GET …/kpis per fund: usually one). */
import { formatMultiple } from '../../format/figures';
import { Col, Empty, Row, Statistic } from 'antd';
import { api } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import { useLoad } from '../../api/useLoad';
import { LoadProblem } from '../../components/LoadProblem';
import { formatAmount } from '../../format/money';

const FIGURE = { minWidth: 0 } as const;
const VALUE = { fontSize: 18, whiteSpace: 'normal', overflowWrap: 'anywhere' } as const;

export default function FundCard() {
  const kpis = useLoad(async () => {
    const funds = await allPages((cursor) => api.GET('/api/v1/funds', { params: { query: wholeListPage(cursor) } }));
    if (!funds.data) return { error: funds.error };
    const answers = await Promise.all(
      funds.data.items.map(async (fund) => ({ fund, kpis: await api.GET('/api/v1/funds/{id}/kpis', { params: { path: { id: fund.id } } }) })),
    );
    const failed = answers.find((a) => a.kpis.error);
    if (failed) return { error: failed.kpis.error };
    return { data: answers.map((a) => ({ fund: a.fund, kpis: a.kpis.data! })) };
  }, []);
  if (kpis.problem) return <LoadProblem problem={kpis.problem} />;
  if (kpis.data?.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未设立风险补偿资金" />;
  return (
    <>
      {(kpis.data ?? []).map(({ fund, kpis: k }) => (
        // Two figures a row whatever the card's width: an amount of ten digits never runs into its neighbour.
        <Row key={fund.id} gutter={[16, 12]} style={{ marginBottom: 8 }}>
          <Col span={24}>
            <strong>{fund.name}</strong>
          </Col>
          <Col span={12} style={FIGURE}>
            <Statistic title="资金规模" value={formatAmount(k.capital)} styles={{ content: VALUE }} />
          </Col>
          <Col span={12} style={FIGURE}>
            <Statistic title="已用放大倍数" value={`${formatMultiple(k.leverageUsed)}（上限 ${formatMultiple(k.leverage)}）`} styles={{ content: VALUE }} />
          </Col>
          <Col span={12} style={FIGURE}>
            <Statistic title="已赔付" value={formatAmount(k.claimsPaid)} styles={{ content: VALUE }} />
          </Col>
          <Col span={12} style={FIGURE}>
            <Statistic title="资金余额" value={formatAmount(k.cash)} styles={{ content: VALUE }} />
          </Col>
        </Row>
      ))}
    </>
  );
}
