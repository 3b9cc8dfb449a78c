/**
 * What staff do to a run, each confirmed first and dated (past dates allowed): review (amounts frozen), publicise (the period, past dates allowed:
 * a list already posted on a notice board is recorded after the fact), approve (after the period, no open
 * objection: the API says why otherwise), and record or resolve objections. Problems go next to their field.
 */
import { App, Button, DatePicker, Form, Input, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useCallback, useState } from 'react';
import { api, idempotencyKey, type Problem } from '../../api/client';
import { OperationButton } from '../../components/OperationButton';
import { useCan } from '../../auth/session';
import { DATE_FORMAT, toApiDate } from '../../format/date';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { useSubmit } from '../../forms/useSubmit';
import { RESOLUTION_LABELS } from './labels';

const TRANSITIONS = 'POST /api/v1/subsidy-runs/{id}/transitions' as const;

/**
 * The next step of a run, as one button that opens its confirmation (nothing for roles that cannot move runs). Each
 * step is dated when it happened (default today): staff loading an earlier year's records give the day the review,
 * publicity or approval took place (docs/api.md "Subsidy runs": never in the future, never before the step before).
 */
export function TransitionButton({ runId, status, onDone }: { runId: string; status: string; onDone: () => void; onProblem: (problem: Problem | undefined) => void }) {
  const can = useCan();
  const { message } = App.useApp();
  const [open, setOpen] = useState<'reviewed' | 'publicised' | 'approved'>();
  if (!can(TRANSITIONS)) return null;
  const done = (text: string) => () => {
    setOpen(undefined);
    void message.success(text);
    onDone();
  };
  const step = status === 'draft' ? 'reviewed' : status === 'reviewed' ? 'publicised' : status === 'publicised' ? 'approved' : undefined;
  if (!step) return null;
  const buttonLabel = { reviewed: '复核通过', publicised: '开始公示', approved: '批准' }[step];
  return (
    <>
      <OperationButton operation={TRANSITIONS} type="primary" onClick={() => setOpen(step)}>
        {buttonLabel}
      </OperationButton>
      {open === 'reviewed' && (
        <TransitionDialog
          runId={runId}
          to="reviewed"
          title="复核通过"
          description="复核后本批次金额冻结，不能再重新计算。"
          dateLabel="复核日期"
          okText="确认复核"
          onClose={() => setOpen(undefined)}
          onDone={done('已复核，金额已冻结')}
        />
      )}
      {open === 'publicised' && <PublicityDialog runId={runId} onClose={() => setOpen(undefined)} onDone={done('已登记公示期')} />}
      {open === 'approved' && (
        <TransitionDialog
          runId={runId}
          to="approved"
          title="批准本批次"
          description="批准后按出资方记入应付贴息，不可撤销；公示期未满或有未处理异议时将被拒绝。"
          dateLabel="批准日期"
          okText="确认批准"
          onClose={() => setOpen(undefined)}
          onDone={done('已批准，已记入账簿')}
        />
      )}
    </>
  );
}

/** A dated step's date: not after today (the API refuses a future date), empty for today. */
const pastDate = (what: string) => ({
  validator: async (_rule: unknown, value: Dayjs | null | undefined) => {
    if (value && value.isAfter(dayjs(), 'day')) throw new Error(`${what}不能晚于今天`);
  },
});

function TransitionDialog({ runId, to, title, description, dateLabel, okText, onClose, onDone }: {
  runId: string;
  to: 'reviewed' | 'approved';
  title: string;
  description: string;
  dateLabel: string;
  okText: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<{ date?: Dayjs | null }>();
  const [key] = useState(idempotencyKey);
  const submit = useCallback(
    (values: { date?: Dayjs | null }) =>
      api.POST('/api/v1/subsidy-runs/{id}/transitions', {
        params: { path: { id: runId }, header: { 'Idempotency-Key': key } },
        body: { to, ...(values.date ? { date: toApiDate(values.date) } : {}) },
      }),
    [runId, key, to],
  );
  const { run, submitting, problem } = useSubmit(form, submit, onDone);
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="submit" type="primary" loading={submitting} onClick={() => form.submit()} data-operation={TRANSITIONS}>
          {okText}
        </Button>,
      ]}
    >
      <p>{description}</p>
      <ProblemAlert problem={problem} />
      <Form name={`transition-${to}`} form={form} layout="vertical" onFinish={run}>
        <Form.Item label={dateLabel} name="date" rules={[pastDate(dateLabel)]} extra="不填为今天；补录以往年度时填写实际发生的日期（不能早于上一步的日期）">
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface PublicityValues {
  date?: Dayjs | null;
  publicityFrom?: Dayjs | null;
  publicityTo?: Dayjs | null;
}

function PublicityDialog({ runId, onClose, onDone }: { runId: string; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<PublicityValues>();
  const [key] = useState(idempotencyKey);
  const submit = useCallback(
    (values: PublicityValues) =>
      api.POST('/api/v1/subsidy-runs/{id}/transitions', {
        params: { path: { id: runId }, header: { 'Idempotency-Key': key } },
        body: {
          to: 'publicised',
          ...(values.date ? { date: toApiDate(values.date) } : {}),
          publicityFrom: toApiDate(values.publicityFrom),
          publicityTo: toApiDate(values.publicityTo),
        },
      }),
    [runId, key],
  );
  const { run, submitting, problem } = useSubmit(form, submit, onDone);
  return (
    <Modal
      open
      title="开始公示"
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="submit" type="primary" loading={submitting} onClick={() => form.submit()} data-operation={TRANSITIONS}>
          确认公示
        </Button>,
      ]}
    >
      <ProblemAlert problem={problem} />
      <Form<PublicityValues> name="publicity" form={form} layout="vertical" onFinish={run} initialValues={{ publicityFrom: dayjs(), publicityTo: dayjs().add(7, 'day') }}>
        <Form.Item label="登记公示日期" name="date" rules={[pastDate('登记公示日期')]} extra="不填为今天；补录以往年度时填写实际决定公示的日期">
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
        <Form.Item label="公示开始日" name="publicityFrom" extra="默认今天；已在公告栏张贴的名单可登记过去的日期">
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
        <Form.Item label="公示结束日" name="publicityTo" extra="默认开始日后 7 天；结束日之后方可批准">
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ObjectionValues {
  enterpriseUscc?: string;
  text: string;
}

export function RaiseObjectionDialog({ runId, enterprises, onClose, onDone }: { runId: string; enterprises: string[]; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<ObjectionValues>();
  const [key] = useState(idempotencyKey);
  const submit = useCallback(
    (values: ObjectionValues) =>
      api.POST('/api/v1/subsidy-runs/{id}/objections', {
        params: { path: { id: runId }, header: { 'Idempotency-Key': key } },
        body: { text: values.text, ...(values.enterpriseUscc ? { enterpriseUscc: values.enterpriseUscc } : {}) },
      }),
    [runId, key],
  );
  const { run, submitting, problem } = useSubmit(form, submit, onDone);
  return (
    <Modal
      open
      title="登记异议"
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="submit" type="primary" loading={submitting} onClick={() => form.submit()} data-operation="POST /api/v1/subsidy-runs/{id}/objections">
          登记
        </Button>,
      ]}
    >
      <ProblemAlert problem={problem} />
      <Form<ObjectionValues> name="objection" form={form} layout="vertical" onFinish={run}>
        <Form.Item label="涉及企业" name="enterpriseUscc">
          <Select allowClear showSearch options={enterprises.map((uscc) => ({ value: uscc, label: uscc }))} />
        </Form.Item>
        <Form.Item label="异议内容" name="text" rules={[{ required: true, whitespace: true, message: '请填写异议内容' }]}>
          <Input.TextArea rows={4} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ResolutionValues {
  resolution: 'upheld' | 'dismissed';
  text: string;
}

export function ResolveObjectionDialog({ runId, objectionId, onClose, onDone }: { runId: string; objectionId: string; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<ResolutionValues>();
  const [key] = useState(idempotencyKey);
  const submit = useCallback(
    (values: ResolutionValues) =>
      api.POST('/api/v1/subsidy-runs/{id}/objections/{objectionId}/resolution', {
        params: { path: { id: runId, objectionId }, header: { 'Idempotency-Key': key } },
        body: values,
      }),
    [runId, objectionId, key],
  );
  const { run, submitting, problem } = useSubmit(form, submit, onDone);
  return (
    <Modal
      open
      title="处理异议"
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button
          key="submit"
          type="primary"
          loading={submitting}
          onClick={() => form.submit()}
          data-operation="POST /api/v1/subsidy-runs/{id}/objections/{objectionId}/resolution"
        >
          确认处理结果
        </Button>,
      ]}
    >
      <ProblemAlert problem={problem} />
      <Form<ResolutionValues> name="resolution" form={form} layout="vertical" onFinish={run}>
        <Form.Item label="处理结果" name="resolution" rules={[{ required: true, message: '请选择处理结果' }]}>
          <Select options={Object.entries(RESOLUTION_LABELS).map(([value, text]) => ({ value, label: text }))} />
        </Form.Item>
        <Form.Item label="处理说明" name="text" rules={[{ required: true, whitespace: true, message: '请填写处理说明' }]}>
          <Input.TextArea rows={4} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

