/** Each fund's capital, leverage used and claims paid (GET /api/v1/funds, then GET …/kpis per fund: usually one). */
import { Col, Empty, Row, Statistic } from 'antd';
import { api } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { LoadProblem } from '../../components/LoadProblem';
import { formatAmount } from '../../format/money';

export default function FundCard() {
  const kpis = useLoad(async () => {
    const funds = await api.GET('/api/v1/funds');
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
        <Row key={fund.id} gutter={[16, 8]} style={{ marginBottom: 8 }}>
          <Col span={24}>
            <strong>{fund.name}</strong>
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="资金规模" value={formatAmount(k.capital)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="已用放大倍数" value={`${k.leverageUsed} / ${k.leverage} 倍`} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="已赔付" value={formatAmount(k.claimsPaid)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="资金余额" value={formatAmount(k.cash)} />
          </Col>
        </Row>
      ))}
    </>
  );
}
