/**
 * An area's targets as dated, cited records, and its population by year (staff): every record is kept; a change is
 * a new value from a year on, with the document and clause it comes from (POST /api/v1/areas/{code}/targets), and a
 * value left empty ends the target from that year. The population is what the per-10,000-people indicator of
 * 袁府办字〔2023〕25号 四(二) divides by (POST /api/v1/areas/{code}/population).
 */
import { Button, Drawer, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api, idempotencyKey } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { LoadProblem } from '../../components/LoadProblem';
import { formatAmount } from '../../format/money';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { useSubmit } from '../../forms/useSubmit';
import { growthText, rateOfPercent } from './growth';
import { chinaDayOf } from '../../format/date';

type NewTarget = NonNullable<paths['/api/v1/areas/{code}/targets']['post']['requestBody']>['content']['application/json'];
type Target = paths['/api/v1/areas/{code}/targets']['get']['responses'][200]['content']['application/json']['items'][number];
type NewPopulation = NonNullable<paths['/api/v1/areas/{code}/population']['post']['requestBody']>['content']['application/json'];

const MEASURE_LABELS: Record<Target['measure'], string> = {
  annual_amount: '年度融资额不低于',
  annual_growth: '年增长率不低于',
  cumulative_amount: '累计新增不低于',
  per_10k_people: '每万人新增登记金额（指标，无数额）',
  monitoring: '数据监测（无数额）',
};
const SCOPE_LABELS: Record<Target['scope'], string> = { ip: '知识产权质押融资', patent: '专利质押融资' };

function figure(target: Target): string {
  if (target.amount !== null) return formatAmount(target.amount);
  if (target.growthRate !== null) return growthText(target.growthRate);
  return target.measure === 'per_10k_people' || target.measure === 'monitoring' ? '—' : '无（目标自该年起终止）';
}

export function AreaTargetsDrawer({ areaCode, areaName, onClose, onChanged }: { areaCode: string; areaName: string; onClose: () => void; onChanged: () => void }) {
  const targets = useLoad(() => allPages((cursor) => api.GET('/api/v1/areas/{code}/targets', { params: { path: { code: areaCode }, query: wholeListPage(cursor) } })), [areaCode]);
  const population = useLoad(() => allPages((cursor) => api.GET('/api/v1/areas/{code}/population', { params: { path: { code: areaCode }, query: wholeListPage(cursor) } })), [areaCode]);
  const [targetForm] = Form.useForm<NewTarget & { percent?: string; amountText?: string }>();
  const [populationForm] = Form.useForm<NewPopulation>();
  const [targetKey, setTargetKey] = useState(idempotencyKey);
  const [populationKey, setPopulationKey] = useState(idempotencyKey);
  const measure = Form.useWatch('measure', targetForm);

  const addTarget = useCallback(
    (values: NewTarget & { percent?: string; amountText?: string }) =>
      api.POST('/api/v1/areas/{code}/targets', {
        params: { path: { code: areaCode }, header: { 'Idempotency-Key': targetKey } },
        body: {
          measure: values.measure,
          scope: values.scope,
          fromYear: values.fromYear,
          amount: values.amountText?.replace(/,/g, '').trim() || undefined,
          growthRate: rateOfPercent(values.percent),
          countedFromYear: values.countedFromYear ?? undefined,
          reference: values.reference,
          quote: values.quote?.trim() || undefined,
        },
      }),
    [areaCode, targetKey],
  );
  const target = useSubmit(targetForm, addTarget, () => {
    targetForm.resetFields();
    setTargetKey(idempotencyKey());
    targets.reload();
    onChanged();
  });
  const addPopulation = useCallback(
    (values: NewPopulation) => api.POST('/api/v1/areas/{code}/population', { params: { path: { code: areaCode }, header: { 'Idempotency-Key': populationKey } }, body: values }),
    [areaCode, populationKey],
  );
  const people = useSubmit(populationForm, addPopulation, () => {
    populationForm.resetFields();
    setPopulationKey(idempotencyKey());
    population.reload();
    onChanged();
  });

  return (
    <Drawer open size="large" title={`${areaName}：目标与人口`} onClose={onClose}>
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        目标记录
      </Typography.Title>
      <LoadProblem problem={targets.problem} />
      <Table<Target>
        rowKey="id"
        size="small"
        pagination={false}
        loading={targets.loading}
        dataSource={targets.data?.items ?? []}
        columns={[
          { title: '指标', dataIndex: 'measure', render: (m: Target['measure']) => MEASURE_LABELS[m] },
          { title: '口径', dataIndex: 'scope', render: (s: Target['scope']) => SCOPE_LABELS[s] },
          { title: '自', dataIndex: 'fromYear', render: (y: number, t) => `${y} 年${t.countedFromYear ? `（自 ${t.countedFromYear} 年累计）` : ''}` },
          { title: '数额', key: 'figure', align: 'right', render: (_, t) => figure(t) },
          { title: '依据', dataIndex: 'reference' },
          { title: '登记时间', dataIndex: 'recordedAt', render: (at: string) => chinaDayOf(at) },
        ]}
      />
      <Typography.Title level={3} style={{ fontSize: 15, marginTop: 16 }}>
        新增目标值
      </Typography.Title>
      <ProblemAlert problem={target.problem} />
      <Form name="newTarget" form={targetForm} layout="vertical" onFinish={target.run} initialValues={{ scope: 'ip' }}>
        <Space wrap align="start">
          <Form.Item label="指标" name="measure" rules={[{ required: true, message: '请选择指标' }]}>
            <Select style={{ width: 260 }} options={Object.entries(MEASURE_LABELS).map(([value, text]) => ({ value, label: text }))} />
          </Form.Item>
          <Form.Item label="口径" name="scope">
            <Select style={{ width: 160 }} options={Object.entries(SCOPE_LABELS).map(([value, text]) => ({ value, label: text }))} />
          </Form.Item>
          <Form.Item label="自年度起" name="fromYear" rules={[{ required: true, message: '请填写年度' }]}>
            <InputNumber min={2000} max={2100} style={{ width: 110 }} />
          </Form.Item>
        </Space>
        {(measure === 'annual_amount' || measure === 'cumulative_amount') && (
          <Space wrap align="start">
            <Form.Item label="数额（元）" name="amountText" extra="不填则该目标自该年起终止" validateFirst>
              <Input style={{ width: 200 }} placeholder="1,000,000,000.00" />
            </Form.Item>
            {measure === 'cumulative_amount' && (
              <Form.Item label="自哪年起累计" name="countedFromYear">
                <InputNumber min={2000} max={2100} style={{ width: 110 }} />
              </Form.Item>
            )}
          </Space>
        )}
        {measure === 'annual_growth' && (
          <Form.Item label="增长率（%）" name="percent" extra="如 30 表示每年增长不低于 30%；不填则该目标自该年起终止">
            <Input style={{ width: 120 }} />
          </Form.Item>
        )}
        <Form.Item label="依据（文件与条款）" name="reference" rules={[{ required: true, whitespace: true, message: '请填写依据' }]}>
          <Input placeholder="如 袁府办字〔2023〕25号 二" />
        </Form.Item>
        <Form.Item label="原文摘录" name="quote">
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={target.submitting} data-operation="POST /api/v1/areas/{code}/targets">
          登记目标值
        </Button>
      </Form>

      <Typography.Title level={2} style={{ fontSize: 16, marginTop: 24 }}>
        人口
      </Typography.Title>
      <LoadProblem problem={population.problem} />
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={population.data?.items ?? []}
        columns={[
          { title: '年度', dataIndex: 'year' },
          { title: '人口（人）', dataIndex: 'population', align: 'right', render: (n: number) => n.toLocaleString('zh-CN') },
          { title: '来源', dataIndex: 'reference' },
          { title: '登记时间', dataIndex: 'recordedAt', render: (at: string) => chinaDayOf(at) },
        ]}
      />
      <ProblemAlert problem={people.problem} />
      <Form name="newPopulation" form={populationForm} layout="inline" onFinish={people.run} style={{ marginTop: 12, rowGap: 8 }}>
        <Form.Item label="年度" name="year" rules={[{ required: true, message: '请填写年度' }]}>
          <InputNumber min={2000} max={2100} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item label="人口" name="population" rules={[{ required: true, message: '请填写人口' }]}>
          <InputNumber min={1} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item label="来源" name="reference" rules={[{ required: true, whitespace: true, message: '请填写来源' }]}>
          <Input style={{ width: 220 }} placeholder="如 2024 年统计公报" />
        </Form.Item>
        <Button htmlType="submit" loading={people.submitting} data-operation="POST /api/v1/areas/{code}/population">
          登记人口
        </Button>
      </Form>
    </Drawer>
  );
}
