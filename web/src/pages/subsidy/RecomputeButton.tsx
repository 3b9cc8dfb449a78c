/**
 * 重新计算: a draft run recomputed with the inputs as they are now (a fee, a contribution, an exclusion or its
 * withdrawal recorded since), confirmed first; the new total is said beside the old one. Only a draft is recomputed:
 * review freezes the amounts (POST /api/v1/subsidy-runs/{id}/recompute answers 409 otherwise).
 */
import { ReloadOutlined } from '@ant-design/icons';
import { App, Popconfirm } from 'antd';
import { api, idempotencyKey, type Problem } from '../../api/client';
import { useCall } from '../../forms/useCall';
import { OperationButton } from '../../components/OperationButton';
import { formatAmount } from '../../format/money';

const RECOMPUTE = 'POST /api/v1/subsidy-runs/{id}/recompute' as const;

export function RecomputeButton({ runId, total, onDone, onProblem }: { runId: string; total: string; onDone: () => void; onProblem: (problem: Problem | undefined) => void }) {
  const { message } = App.useApp();
  const { busy, run: recompute } = useCall(
    () =>
      api.POST('/api/v1/subsidy-runs/{id}/recompute', {
        params: { path: { id: runId }, header: { 'Idempotency-Key': idempotencyKey() } },
        body: {},
      }),
    (data) => {
      void message.success(`已按最新录入重新计算：合计 ${formatAmount(data.total)}（原 ${formatAmount(total)}）`);
      onDone();
    },
    onProblem,
  );
  return (
    <Popconfirm
      title="按最新录入重新计算本草稿？"
      description="将读取当前的利率报价、费用、保费、地方贡献、不予补助、其他补助和经营状态记录，替换本批次的全部明细。"
      okText="重新计算"
      cancelText="取消"
      onConfirm={recompute}
    >
      <OperationButton operation={RECOMPUTE} icon={<ReloadOutlined />} loading={busy}>
        重新计算
      </OperationButton>
    </Popconfirm>
  );
}
