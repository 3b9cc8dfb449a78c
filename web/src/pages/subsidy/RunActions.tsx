/**
 * What staff do to a run, each confirmed first and dated (past dates allowed): review (amounts frozen), publicise (the period, past dates allowed:
 * a list already posted on a notice board is recorded after the fact), approve (after the period, no open
 * objection: the API says why otherwise), and record or resolve objections. Each is a FormDialog: problems go next to
 * their field, one Idempotency-Key per opening.
 */
import { App, DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { api, type Problem } from '../../api/client';
import { FormDialog } from '../../components/FormDialog';
import { OperationButton } from '../../components/OperationButton';
import { useCan } from '../../auth/session';
import { chinaToday, DATE_FORMAT, toApiDate } from '../../format/date';
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
    if (value && value.isAfter(chinaToday(), 'day')) throw new Error(`${what}不能晚于今天`);
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
  const submit = useCallback(
    (values: { date?: Dayjs | null }, key: string) =>
      api.POST('/api/v1/subsidy-runs/{id}/transitions', {
        params: { path: { id: runId }, header: { 'Idempotency-Key': key } },
        body: { to, ...(values.date ? { date: toApiDate(values.date) } : {}) },
      }),
    [runId, to],
  );
  return (
    <FormDialog<{ date?: Dayjs | null }, unknown> title={title} name={`transition-${to}`} okText={okText} operation={TRANSITIONS} submit={submit} onDone={onDone} onClose={onClose}>
      <p>{description}</p>
      <Form.Item label={dateLabel} name="date" rules={[pastDate(dateLabel)]} extra="不填为今天；补录以往年度时填写实际发生的日期（不能早于上一步的日期）">
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
    </FormDialog>
  );
}

interface PublicityValues {
  date?: Dayjs | null;
  publicityFrom?: Dayjs | null;
  publicityTo?: Dayjs | null;
}

function PublicityDialog({ runId, onClose, onDone }: { runId: string; onClose: () => void; onDone: () => void }) {
  const submit = useCallback(
    (values: PublicityValues, key: string) =>
      api.POST('/api/v1/subsidy-runs/{id}/transitions', {
        params: { path: { id: runId }, header: { 'Idempotency-Key': key } },
        body: {
          to: 'publicised',
          ...(values.date ? { date: toApiDate(values.date) } : {}),
          publicityFrom: toApiDate(values.publicityFrom),
          publicityTo: toApiDate(values.publicityTo),
        },
      }),
    [runId],
  );
  return (
    <FormDialog<PublicityValues, unknown>
      title="开始公示"
      name="publicity"
      okText="确认公示"
      operation={TRANSITIONS}
      submit={submit}
      onDone={onDone}
      onClose={onClose}
      initialValues={{ publicityFrom: chinaToday(), publicityTo: chinaToday().add(7, 'day') }}
    >
      <Form.Item label="登记公示日期" name="date" rules={[pastDate('登记公示日期')]} extra="不填为今天；补录以往年度时填写实际决定公示的日期">
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
      <Form.Item label="公示开始日" name="publicityFrom" extra="默认今天；已在公告栏张贴的名单可登记过去的日期">
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
      <Form.Item label="公示结束日" name="publicityTo" extra="默认开始日后 7 天；结束日之后方可批准">
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
    </FormDialog>
  );
}

interface ObjectionValues {
  enterpriseUscc?: string;
  text: string;
}

export function RaiseObjectionDialog({ runId, enterprises, onClose, onDone }: { runId: string; enterprises: string[]; onClose: () => void; onDone: () => void }) {
  const submit = useCallback(
    (values: ObjectionValues, key: string) =>
      api.POST('/api/v1/subsidy-runs/{id}/objections', {
        params: { path: { id: runId }, header: { 'Idempotency-Key': key } },
        body: { text: values.text, ...(values.enterpriseUscc ? { enterpriseUscc: values.enterpriseUscc } : {}) },
      }),
    [runId],
  );
  return (
    <FormDialog<ObjectionValues, unknown> title="登记异议" name="objection" okText="登记" operation="POST /api/v1/subsidy-runs/{id}/objections" submit={submit} onDone={onDone} onClose={onClose}>
      <Form.Item label="涉及企业" name="enterpriseUscc">
        <Select allowClear showSearch options={enterprises.map((uscc) => ({ value: uscc, label: uscc }))} />
      </Form.Item>
      <Form.Item label="异议内容" name="text" rules={[{ required: true, whitespace: true, message: '请填写异议内容' }]}>
        <Input.TextArea rows={4} maxLength={2000} />
      </Form.Item>
    </FormDialog>
  );
}

interface ResolutionValues {
  resolution: 'upheld' | 'dismissed';
  text: string;
}

export function ResolveObjectionDialog({ runId, objectionId, onClose, onDone }: { runId: string; objectionId: string; onClose: () => void; onDone: () => void }) {
  const submit = useCallback(
    (values: ResolutionValues, key: string) =>
      api.POST('/api/v1/subsidy-runs/{id}/objections/{objectionId}/resolution', {
        params: { path: { id: runId, objectionId }, header: { 'Idempotency-Key': key } },
        body: values,
      }),
    [runId, objectionId],
  );
  return (
    <FormDialog<ResolutionValues, unknown>
      title="处理异议"
      name="resolution"
      okText="确认处理结果"
      operation="POST /api/v1/subsidy-runs/{id}/objections/{objectionId}/resolution"
      submit={submit}
      onDone={onDone}
      onClose={onClose}
    >
      <Form.Item label="处理结果" name="resolution" rules={[{ required: true, message: '请选择处理结果' }]}>
        <Select options={Object.entries(RESOLUTION_LABELS).map(([value, text]) => ({ value, label: text }))} />
      </Form.Item>
      <Form.Item label="处理说明" name="text" rules={[{ required: true, whitespace: true, message: '请填写处理说明' }]}>
        <Input.TextArea rows={4} maxLength={2000} />
      </Form.Item>
    </FormDialog>
  );
}
