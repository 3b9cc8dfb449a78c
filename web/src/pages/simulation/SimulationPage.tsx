/**
 * 政策模拟: what a policy change would cost before it is adopted. Pick a policy, its version (the one in force by
 * default) and a year; change any parameter (the form is generated from the parameter schema, prefilled with the
 * version's values, each with its unit, clause and reading) and optionally a budget per funding body; the service
 * computes both over the real portfolio and writes nothing (`POST /api/v1/simulations`, docs/api.md "Simulations").
 */
import { Alert, Button, Card, Col, Collapse, Form, Input, InputNumber, Row, Select, Space, Spin } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, type Problem } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import { useLoad } from '../../api/useLoad';
import { LoadProblem } from '../../components/LoadProblem';
import { PageTitle } from '../../components/PageTitle';
import { FUNDING_BODY_LABELS, optionsOf } from '../../format/labels';
import { ParameterFields, placeParameterProblem } from '../policies/ParameterFields';
import { FormValueError, fromFormValue, loadParameterSpecs, sameValue, toFormValue, type ParameterRecord, type ParameterSpec, type PolicyRecord } from '../policies/parameters';
import { runSimulation, SimulationResult, type SimulationAnswer, type SimulationRequest } from './SimulationResult';

const IN_FORCE = 0;

interface Values {
  policyId: string;
  version: number;
  year: number;
  p: Record<string, unknown>;
  budget?: Array<{ body: string; amount: string }>;
}

/** The version a run of the year takes, as the service chooses it: the latest overlapping the year, else the latest. */
export function versionInForce(versions: PolicyRecord[], year: number): PolicyRecord | undefined {
  const overlapping = versions.filter((v) => v.effectiveFrom <= `${year}-12-31` && (v.effectiveTo == null || v.effectiveTo >= `${year}-01-01`));
  const candidates = overlapping.length > 0 ? overlapping : versions;
  return candidates.reduce<PolicyRecord | undefined>((latest, v) => (!latest || v.version > latest.version ? v : latest), undefined);
}

/** The changes of a form against the version's values: only what differs is sent. */
export function changesOf(specs: ParameterSpec[], values: Record<string, unknown>, version: PolicyRecord): { changes: Record<string, unknown>; errors: Array<{ name: string; message: string }> } {
  const changes: Record<string, unknown> = {};
  const errors: Array<{ name: string; message: string }> = [];
  const parameters = version.parameters as unknown as Record<string, ParameterRecord>;
  for (const spec of specs) {
    try {
      const value = fromFormValue(spec, values[spec.name]);
      if (!sameValue(value, parameters[spec.name]?.value)) changes[spec.name] = value;
    } catch (error) {
      if (error instanceof FormValueError) errors.push({ name: spec.name, message: error.message });
      else throw error;
    }
  }
  return { changes, errors };
}

export default function SimulationPage() {
  const policies = useLoad(() => allPages((cursor) => api.GET('/api/v1/policies', { params: { query: wholeListPage(cursor) } })), []);
  const [specs, setSpecs] = useState<ParameterSpec[]>();
  const [specsProblem, setSpecsProblem] = useState<string>();
  const [form] = Form.useForm<Values>();
  const [running, setRunning] = useState(false);
  const [problem, setProblem] = useState<{ problem?: Problem; messages: string[] }>();
  const [result, setResult] = useState<{ request: SimulationRequest; answer: SimulationAnswer; run: number }>();

  useEffect(() => {
    loadParameterSpecs().then(setSpecs, (error: unknown) => setSpecsProblem(error instanceof Error ? error.message : String(error)));
  }, []);

  const items = useMemo(() => policies.data?.items ?? [], [policies.data]);
  const policyIds = [...new Set(items.map((item) => item.id))];
  const policyId = Form.useWatch('policyId', form) ?? policyIds[0];
  const versionChoice = Form.useWatch('version', form) ?? IN_FORCE;
  const year = Form.useWatch('year', form) ?? new Date().getFullYear();
  const versions = items.filter((item) => item.id === policyId);
  const baseline = versionChoice === IN_FORCE ? versionInForce(versions, year) : versions.find((item) => item.version === versionChoice);
  const baselineValues = useMemo(() => {
    if (!baseline || !specs) return undefined;
    const parameters = baseline.parameters as unknown as Record<string, ParameterRecord>;
    return Object.fromEntries(specs.map((spec) => [spec.name, toFormValue(spec, parameters[spec.name]?.value)]));
  }, [baseline, specs]);

  useEffect(() => {
    const first = items[0]?.id;
    if (first && !form.getFieldValue('policyId')) form.setFieldsValue({ policyId: first });
  }, [items, form]);

  // The version's values fill the parameters whenever the policy, version or year picks another version.
  useEffect(() => {
    if (baselineValues) form.setFieldsValue({ p: baselineValues });
  }, [baselineValues, form]);

  const submit = async (values: Values) => {
    if (!baseline || !specs) return;
    setProblem(undefined);
    const { changes, errors } = changesOf(specs, values.p ?? {}, baseline);
    if (errors.length > 0) {
      form.setFields(errors.map((error) => ({ name: ['p', error.name], errors: [error.message] })));
      return;
    }
    const request: SimulationRequest = {
      policyId: values.policyId ?? policyId,
      year: values.year,
      changes,
      ...(values.version && values.version !== IN_FORCE ? { version: values.version } : {}),
      ...(values.budget && values.budget.length > 0 ? { budget: values.budget } : {}),
    };
    setRunning(true);
    try {
      const { data, error } = await runSimulation(request);
      if (error) {
        setProblem({ problem: error, messages: placeParameterProblem(form, error, { year: 'year', policyId: 'policyId', version: 'version' }) });
        return;
      }
      if (data) setResult((previous) => ({ request, answer: data, run: (previous?.run ?? 0) + 1 }));
    } finally {
      setRunning(false);
    }
  };

  return (
    <>
      <PageTitle>政策模拟</PageTitle>
      <LoadProblem problem={policies.problem} />
      {specsProblem && <Alert type="error" showIcon title="无法读取参数定义" description={specsProblem} style={{ marginBottom: 16 }} />}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={(values) => void submit(values)}
          initialValues={{ version: IN_FORCE, year: new Date().getFullYear() }}
          aria-label="政策模拟"
        >
          <Row gutter={16}>
            <Col xs={24} md={10}>
              <Form.Item label="政策" name="policyId" rules={[{ required: true, message: '请选择政策' }]}>
                <Select
                  aria-label="政策"
                  options={policyIds.map((id) => ({ value: id, label: `${items.find((item) => item.id === id)?.title ?? id}` }))}
                  onChange={() => form.setFieldsValue({ version: IN_FORCE })}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item label="基准版本" name="version">
                <Select
                  aria-label="基准版本"
                  options={[
                    { value: IN_FORCE, label: `该年度现行版本${baseline && versionChoice === IN_FORCE ? `（第 ${baseline.version} 版）` : ''}` },
                    ...versions.map((v) => ({ value: v.version, label: `第 ${v.version} 版（${v.effectiveFrom} 起）` })),
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item label="年度" name="year" rules={[{ required: true, message: '请填写年度' }]}>
                <InputNumber aria-label="年度" min={2000} max={2100} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          {!specs || !baseline ? (
            <Spin />
          ) : (
            <Collapse
              defaultActiveKey={['parameters']}
              style={{ marginBottom: 16 }}
              items={[
                {
                  key: 'parameters',
                  label: '参数（修改任意参数，未修改的保持基准版本的值）',
                  children: (
                    <ParameterFields specs={specs} records={baseline.parameters as unknown as Record<string, ParameterRecord>} baseline={baselineValues} />
                  ),
                },
                {
                  key: 'budget',
                  label: '预算（可选：某出资方以固定预算承担，其份额按比例压缩）',
                  children: (
                    <Form.List name="budget">
                      {(fields, { add, remove }) => (
                        <Space direction="vertical">
                          {fields.map((field, index) => (
                            <Space key={field.key} align="baseline">
                              <Form.Item name={[field.name, 'body']} rules={[{ required: true, message: '请选择出资方' }]}>
                                <Select aria-label={`预算第 ${index + 1} 项出资方`} options={optionsOf(FUNDING_BODY_LABELS)} style={{ width: 120 }} />
                              </Form.Item>
                              <Form.Item name={[field.name, 'amount']} rules={[{ required: true, pattern: /^\d{1,15}(\.\d{1,2})?$/, message: '请填写金额，如 100000.00' }]}>
                                <Input aria-label={`预算第 ${index + 1} 项金额（元）`} placeholder="金额（元）" style={{ width: 180 }} />
                              </Form.Item>
                              <Button onClick={() => remove(field.name)}>删除</Button>
                            </Space>
                          ))}
                          <Button onClick={() => add({ body: undefined, amount: '' })}>添加预算</Button>
                        </Space>
                      )}
                    </Form.List>
                  ),
                },
              ]}
            />
          )}
          {problem && problem.messages.length > 0 && (
            <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title="测算未能进行" description={problem.messages.join('；')} />
          )}
          <Button type="primary" htmlType="submit" loading={running} disabled={!specs || !baseline}>
            开始测算
          </Button>
        </Form>
      </Card>
      {result && <SimulationResult key={result.run} request={result.request} answer={result.answer} />}
    </>
  );
}
