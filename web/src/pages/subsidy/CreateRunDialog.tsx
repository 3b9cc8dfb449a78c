/**
 * POST /api/v1/subsidy-runs: policy, year and an optional budget per funding body. A year over thousands of loans
 * takes a while on the server: the request is asynchronous, so the page stays usable, and the dialog shows how far the
 * computation has got — the stage and a percentage, polled at GET /api/v1/subsidy-run-progress/{progressId} with the
 * id the request sent — then the counts (lines, eligible, total) of the run it made.
 */
import { lastCompleteYear } from '../../format/date';
import { Button, Form, Input, InputNumber, Modal, Progress, Result, Select, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, idempotencyKey } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { FUNDING_BODY_LABELS } from '../../format/labels';
import { amountRules, apiAmount } from '../../forms/amount';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { useSubmit } from '../../forms/useSubmit';

type NewRun = NonNullable<paths['/api/v1/subsidy-runs']['post']['requestBody']>['content']['application/json'];
type CreatedRun = paths['/api/v1/subsidy-runs']['post']['responses'][201]['content']['application/json'];

interface FormValues {
  policyId: string;
  year: number;
  /** 年度批次, or 调整批次: the correction of a year whose regular run was approved (its approval posts the difference). */
  kind: 'regular' | 'adjustment';
  /** Budget per body, as typed ("" or absent: no budget for that body). */
  budget?: Record<string, string | undefined>;
}

const BUDGET_BODIES = ['city', 'district'];

type RunProgress = paths['/api/v1/subsidy-run-progress/{progressId}']['get']['responses'][200]['content']['application/json'];

const STAGE_LABELS: Record<RunProgress['stage'], string> = {
  started: '开始',
  loading: '读取本年度的贷款、事件和补助数据',
  computing: '逐笔计算贴息',
  storing: '保存计算结果',
  reading: '整理批次',
  failed: '未完成',
};

/** The progress of the computation `progressId` while `running`, polled once a second (it is written as it goes). */
function useRunProgress(progressId: string | undefined, running: boolean): RunProgress | undefined {
  const [progress, setProgress] = useState<RunProgress>();
  useEffect(() => {
    setProgress(undefined);
    if (!running || !progressId) return;
    let stopped = false;
    const poll = async () => {
      const { data } = await api.GET('/api/v1/subsidy-run-progress/{progressId}', { params: { path: { progressId } } }).catch(() => ({ data: undefined }));
      if (!stopped && data) setProgress(data);
    };
    // The first poll a second after the computation was sent, by when it has written its first stage: asked at once,
    // the progress is not there yet (404).
    const timer = setInterval(() => void poll(), 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [progressId, running]);
  return progress;
}

/** Seconds since `since` while `running`, ticking once a second. */
function useElapsed(running: boolean): number {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    if (!running) return;
    const started = Date.now();
    setElapsed(0);
    const timer = setInterval(() => setElapsed(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return elapsed;
}

export function CreateRunDialog({ onClose, onOpen }: { onClose: () => void; onOpen: (runId: string) => void }) {
  const [form] = Form.useForm<FormValues>();
  const policies = useLoad(() => allPages((cursor) => api.GET('/api/v1/policies', { params: { query: wholeListPage(cursor) } })), []);
  const [key] = useState(idempotencyKey);
  const [created, setCreated] = useState<CreatedRun>();
  // One progress id per dialog, like its Idempotency-Key: a retry sends the same body, and its progress starts again.
  const [progressId] = useState(() => crypto.randomUUID());
  const create = useCallback(
    (values: FormValues) => {
      const budget = BUDGET_BODIES.flatMap((body) => {
        const amount = apiAmount(values.budget?.[body]?.toString() ?? '');
        return amount ? [{ body, amount }] : [];
      });
      const body: NewRun = { policyId: values.policyId, year: values.year, kind: values.kind, progressId, ...(budget.length ? { budget } : {}) };
      return api.POST('/api/v1/subsidy-runs', { body, params: { header: { 'Idempotency-Key': key } } });
    },
    [key, progressId],
  );
  const { run, submitting, problem } = useSubmit(form, create, setCreated);
  const elapsed = useElapsed(submitting);
  const progress = useRunProgress(progressId, submitting);
  // Latest version of each policy, for the choice.
  const latest = new Map<string, { id: string; title: string; documentNo: string; version: number }>();
  for (const policy of policies.data?.items ?? []) {
    const seen = latest.get(policy.id);
    if (!seen || seen.version < policy.version) latest.set(policy.id, policy);
  }
  const eligibleCount = created ? [...created.lines, ...created.supportLines].filter((line) => line.eligible).length : 0;

  return (
    <Modal
      open
      title="计算年度贴息"
      onCancel={onClose}
      maskClosable={!submitting}
      footer={
        created
          ? [
              <Button key="close" onClick={onClose}>
                关闭
              </Button>,
              <Button key="open" type="primary" onClick={() => onOpen(created.id)}>
                查看批次
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={onClose}>
                取消
              </Button>,
              <Button key="submit" type="primary" loading={submitting} onClick={() => form.submit()} data-operation="POST /api/v1/subsidy-runs">
                开始计算
              </Button>,
            ]
      }
    >
      {created ? (
        <Result
          status="success"
          title="计算完成，已生成草稿批次"
          subTitle={
            <span data-testid="run-counts">
              共 {created.lineCount} 行，其中符合条件 {eligibleCount}
              {created.linesNextCursor ? `（前 ${created.lines.length + created.supportLines.length} 行中）` : ''} 行，合计 <Amount value={created.total} />
            </span>
          }
        />
      ) : (
        <Spin
          spinning={submitting}
          description={
            <div style={{ width: 320, margin: '0 auto' }} data-testid="run-progress">
              <Progress percent={progress?.percent ?? 0} status="active" aria-label="计算进度" />
              <div>
                {progress ? STAGE_LABELS[progress.stage] : '开始'}…（已用时 {elapsed} 秒）
              </div>
            </div>
          }
        >
          <ProblemAlert problem={problem} />
          <Form<FormValues> name="newRun" form={form} layout="vertical" onFinish={run} initialValues={{ year: lastCompleteYear(), kind: 'regular' }} disabled={submitting}>
            <Form.Item label="政策" name="policyId" rules={[{ required: true, message: '请选择政策' }]}>
              <Select
                loading={policies.loading}
                options={[...latest.values()].map((policy) => ({ value: policy.id, label: `${policy.title}（${policy.documentNo}）` }))}
              />
            </Form.Item>
            <Form.Item label="年度" name="year" rules={[{ required: true, message: '请输入年度' }]}>
              <InputNumber min={2000} max={2100} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item label="类型" name="kind" extra="该年度的年度批次已批准后，更正须建调整批次：批准时只记入与已批准金额的差额">
              <Select
                style={{ width: 260 }}
                options={[
                  { value: 'regular', label: '年度批次' },
                  { value: 'adjustment', label: '调整批次（更正已批准的年度批次）' },
                ]}
              />
            </Form.Item>
            <Typography.Text type="secondary">预算（可选，元；超出时按比例调减）</Typography.Text>
            <Space style={{ marginTop: 8 }} wrap>
              {BUDGET_BODIES.map((body) => (
                <Form.Item key={body} label={`${FUNDING_BODY_LABELS[body]}预算`} name={['budget', body]} rules={amountRules(false, false)}>
                  <Input inputMode="decimal" style={{ width: 180 }} />
                </Form.Item>
              ))}
            </Space>
          </Form>
        </Spin>
      )}
    </Modal>
  );
}
