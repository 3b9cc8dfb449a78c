/**
 * A new version of a policy, made by staff from its current (latest) version: the form is generated from the
 * parameter schema (parameters.ts), each value with its unit, clause and reading, checked as the service checks it
 * (the schema's patterns and bounds here, and the service's 422 on the field it names); the version takes effect
 * from a date. 先试算 runs a reform simulation of the same changes for the year the version takes effect instead of
 * saving, and shows the comparison. Saving records version N + 1 (`POST /api/v1/policies`); nothing is edited.
 */
import { Alert, Button, Card, DatePicker, Form, Space, Spin, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, idempotencyKey, type Problem } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { chinaToday, toApiDate } from '../../format/date';
import { changesOf } from '../simulation/SimulationPage';
import { runSimulation, SimulationResult, type SimulationAnswer, type SimulationRequest } from '../simulation/SimulationResult';
import { ParameterFields, placeParameterProblem } from './ParameterFields';
import { loadParameterSpecs, toFormValue, type ParameterRecord, type ParameterSpec, type PolicyRecord } from './parameters';

interface Values {
  effectiveFrom: Dayjs;
  p: Record<string, unknown>;
}

type NewPolicy = paths['/api/v1/policies']['post']['requestBody']['content']['application/json'];

/** Version N + 1: the current record with the changed parameters' values, each marked as set in this version. */
function nextVersion(current: PolicyRecord, changes: Record<string, unknown>, effectiveFrom: string): NewPolicy {
  const { recordedAt: _recordedAt, ...record } = current;
  const parameters = { ...(current.parameters as unknown as Record<string, ParameterRecord>) };
  for (const [name, value] of Object.entries(changes)) {
    const before = parameters[name]!;
    const { interpretation: _old, ...kept } = before;
    parameters[name] = { ...kept, value, interpretation: `Set by staff in version ${current.version + 1}, effective ${effectiveFrom}.` };
  }
  return { ...record, version: current.version + 1, effectiveFrom, parameters } as unknown as NewPolicy;
}

export default function NewVersionPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const policies = useLoad(() => allPages((cursor) => api.GET('/api/v1/policies', { params: { query: wholeListPage(cursor) } })), []);
  const [specs, setSpecs] = useState<ParameterSpec[]>();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState<'save' | 'simulate'>();
  const [messages, setMessages] = useState<string[]>([]);
  const [trial, setTrial] = useState<{ request: SimulationRequest; answer: SimulationAnswer; run: number }>();

  useEffect(() => {
    loadParameterSpecs().then(setSpecs, (error: unknown) => setMessages([error instanceof Error ? error.message : String(error)]));
  }, []);
  const current = (policies.data?.items ?? []).filter((item) => item.id === id).sort((a, b) => b.version - a.version)[0];
  const currentValues = useMemo(() => {
    if (!current || !specs) return undefined;
    const parameters = current.parameters as unknown as Record<string, ParameterRecord>;
    return Object.fromEntries(specs.map((spec) => [spec.name, toFormValue(spec, parameters[spec.name]?.value)]));
  }, [current, specs]);
  useEffect(() => {
    if (currentValues) form.setFieldsValue({ p: currentValues });
  }, [currentValues, form]);

  /** The changes of the form, or undefined when a field cannot be read (its error is shown on it). */
  const readChanges = async (): Promise<{ changes: Record<string, unknown>; effectiveFrom: string } | undefined> => {
    if (!current || !specs) return undefined;
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return undefined;
    }
    const { changes, errors } = changesOf(specs, values.p ?? {}, current);
    if (errors.length > 0) {
      form.setFields(errors.map((error) => ({ name: ['p', error.name], errors: [error.message] })));
      return undefined;
    }
    return { changes, effectiveFrom: toApiDate(values.effectiveFrom)! };
  };

  const showProblem = (problem: Problem) => setMessages(placeParameterProblem(form, problem, { effectiveFrom: 'effectiveFrom' }));

  const save = async () => {
    const read = await readChanges();
    if (!read || !current) return;
    setMessages([]);
    setBusy('save');
    try {
      const { data, error } = await api.POST('/api/v1/policies', {
        params: { header: { 'Idempotency-Key': idempotencyKey() } },
        body: nextVersion(current, read.changes, read.effectiveFrom),
      });
      if (error) showProblem(error as Problem);
      else if (data) navigate(`/policies/${data.id}/${data.version}`);
    } finally {
      setBusy(undefined);
    }
  };

  const simulate = async () => {
    const read = await readChanges();
    if (!read || !current) return;
    setMessages([]);
    setBusy('simulate');
    try {
      const request: SimulationRequest = { policyId: current.id, version: current.version, year: Number(read.effectiveFrom.slice(0, 4)), changes: read.changes };
      const { data, error } = await runSimulation(request);
      if (error) showProblem(error);
      else if (data) setTrial((previous) => ({ request, answer: data, run: (previous?.run ?? 0) + 1 }));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <>
      <PageTitle extra={<Link to="/policies">返回政策版本</Link>}>{current ? `新建版本：${current.title}` : '新建版本'}</PageTitle>
      <LoadProblem problem={policies.problem} />
      {current && (
        <Typography.Paragraph>
          以第 {current.version} 版（{current.documentNo}，{current.effectiveFrom} 起）为基础，保存为第 {current.version + 1} 版。已记录的版本不会被修改。
        </Typography.Paragraph>
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        {!current || !specs ? (
          <Spin />
        ) : (
          <Form<Values> form={form} layout="vertical" aria-label="新建政策版本" initialValues={{ effectiveFrom: chinaToday() }}>
            <Form.Item label="生效日期" name="effectiveFrom" rules={[{ required: true, message: '请选择生效日期' }]} extra="新版本自该日起适用；先试算按该日所在年度测算。">
              <DatePicker aria-label="生效日期" />
            </Form.Item>
            <ParameterFields specs={specs} records={current.parameters as unknown as Record<string, ParameterRecord>} baseline={currentValues} />
            {messages.length > 0 && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title="输入有误" description={messages.join('；')} />}
            <Space>
              <Button onClick={() => void simulate()} loading={busy === 'simulate'}>
                先试算
              </Button>
              <OperationButton operation="POST /api/v1/policies" type="primary" onClick={() => void save()} loading={busy === 'save'}>
                保存为新版本
              </OperationButton>
            </Space>
          </Form>
        )}
      </Card>
      {trial && <SimulationResult key={trial.run} request={trial.request} answer={trial.answer} />}
    </>
  );
}
