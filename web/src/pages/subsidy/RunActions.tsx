/**
 * What staff do to a run, each confirmed first: review (amounts frozen), publicise (the period, past dates allowed:
 * a list already posted on a notice board is recorded after the fact), approve (after the period, no open
 * objection: the API says why otherwise), and record or resolve objections. Problems go next to their field.
 */
import { App, Button, DatePicker, Form, Input, Modal, Popconfirm, Select } from 'antd';
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

/** The next step of a run, as one confirmed button (nothing for roles that cannot move runs). */
export function TransitionButton({ runId, status, onDone, onProblem }: { runId: string; status: string; onDone: () => void; onProblem: (problem: Problem | undefined) => void }) {
  const can = useCan();
  const { message } = App.useApp();
  const [publicising, setPublicising] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!can(TRANSITIONS)) return null;
  const move = async (to: 'reviewed' | 'approved') => {
    setBusy(true);
    onProblem(undefined);
    try {
      const { error } = await api.POST('/api/v1/subsidy-runs/{id}/transitions', {
        params: { path: { id: runId }, header: { 'Idempotency-Key': idempotencyKey() } },
        body: { to },
      });
      if (error) onProblem(error);
      else {
        void message.success(to === 'reviewed' ? '已复核，金额已冻结' : '已批准，已记入账簿');
        onDone();
      }
    } finally {
      setBusy(false);
    }
  };
  if (status === 'draft') {
    return (
      <Popconfirm title="确认复核通过？" description="复核后本批次金额冻结，不能再重新计算。" okText="确认复核" cancelText="取消" onConfirm={() => move('reviewed')}>
        <OperationButton operation={TRANSITIONS} type="primary" loading={busy}>
          复核通过
        </OperationButton>
      </Popconfirm>
    );
  }
  if (status === 'reviewed') {
    return (
      <>
        <OperationButton operation={TRANSITIONS} type="primary" onClick={() => setPublicising(true)}>
          开始公示
        </OperationButton>
        {publicising && (
          <PublicityDialog
            runId={runId}
            onClose={() => setPublicising(false)}
            onDone={() => {
              setPublicising(false);
              void message.success('已登记公示期');
              onDone();
            }}
          />
        )}
      </>
    );
  }
  if (status === 'publicised') {
    return (
      <Popconfirm title="确认批准本批次？" description="批准后按出资方记入应付贴息，不可撤销；公示期未满或有未处理异议时将被拒绝。" okText="确认批准" cancelText="取消" onConfirm={() => move('approved')}>
        <OperationButton operation={TRANSITIONS} type="primary" loading={busy}>
          批准
        </OperationButton>
      </Popconfirm>
    );
  }
  return null;
}

interface PublicityValues {
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
        body: { to: 'publicised', publicityFrom: toApiDate(values.publicityFrom), publicityTo: toApiDate(values.publicityTo) },
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

