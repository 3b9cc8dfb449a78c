import { Card, Col, Empty, Row, Spin, Statistic } from 'antd';
import { Suspense } from 'react';
import { useMe, useCan, roleMay } from '../../auth/session';
import { PageTitle } from '../../components/PageTitle';
import { DASHBOARD_SLOTS } from './slots';
import { BankFigures } from './BankFigures';
import { LedgerSummary } from './LedgerSummary';

export default function DashboardPage() {
  const me = useMe();
  const can = useCan();
  const slots = DASHBOARD_SLOTS.filter((slot) => (slot.requires ? roleMay(me.role, slot.requires) : slot.roles.includes(me.role)));
  return (
    <>
      <PageTitle>总览</PageTitle>
      {can('GET /api/v1/ledger/summary') ? (
        <LedgerSummary />
      ) : me.role === 'bank' && me.bankId ? (
        <BankFigures bankId={me.bankId} />
      ) : (
        <Card style={{ marginBottom: 16 }}>
          <Statistic title="欢迎" value={me.name} />
        </Card>
      )}
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        {slots.map((slot) => (
          <Col key={slot.key} xs={24} xl={slot.key === 'lending' ? 24 : 12}>
            <Card title={slot.title} data-slot={slot.key}>
              {slot.component ? (
                <Suspense fallback={<Spin />}>
                  <slot.component />
                </Suspense>
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={slot.placeholder} />
              )}
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
