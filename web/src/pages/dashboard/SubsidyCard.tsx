/**
 * Interest subsidy approved / paid / outstanding per funding body for a year, from the split reconciliation
 * (GET /api/v1/reports/split-reconciliation; a finance principal gets only its own body).
 */
import { lastCompleteYear } from '../../format/date';
import { Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { BarChart } from '../../components/BarChart';
import { LoadProblem } from '../../components/LoadProblem';
import { StatusTag } from '../../components/StatusTag';
import { FUNDING_BODY_LABELS, label } from '../../format/labels';
import { formatAmount } from '../../format/money';

export default function SubsidyCard() {
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(lastCompleteYear);
  const report = useLoad(() => api.GET('/api/v1/reports/split-reconciliation', { params: { query: { year } } }), [year]);
  const r = report.data;
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          aria-label="贴息年度"
          value={year}
          onChange={setYear}
          options={Array.from({ length: 6 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: `${y} 年` }))}
          style={{ width: 110 }}
        />
        {r && (r.ledgerCheck.payablesChecked === 0 ? <StatusTag tone="muted">无可核对的应付贴息</StatusTag> : r.ledgerCheck.matches ? <StatusTag tone="ok">与总账一致</StatusTag> : <StatusTag tone="bad">与总账不一致</StatusTag>)}
      </Space>
      <LoadProblem problem={report.problem} />
      {r && r.bodies.length === 0 && <Typography.Text type="secondary">{year} 年尚无已批准的贴息。</Typography.Text>}
      {r && r.bodies.length > 0 && (
        <>
          <Table
            rowKey="body"
            size="small"
            pagination={false}
            dataSource={r.bodies}
            columns={[
              { title: '出资方', dataIndex: 'body', render: (b: string) => label(FUNDING_BODY_LABELS, b) },
              { title: '已批准', dataIndex: 'approved', align: 'right', render: (v: string) => <Amount value={v} /> },
              { title: '已拨付', dataIndex: 'paid', align: 'right', render: (v: string) => <Amount value={v} /> },
              { title: '待拨付', dataIndex: 'outstanding', align: 'right', render: (v: string) => <Amount value={v} /> },
            ]}
          />
          <BarChart
            title={`${year} 年各出资方待拨付贴息`}
            bars={r.bodies.map((b) => ({ label: label(FUNDING_BODY_LABELS, b.body), value: Number(b.outstanding), valueLabel: formatAmount(b.outstanding) }))}
          />
        </>
      )}
    </>
  );
}
