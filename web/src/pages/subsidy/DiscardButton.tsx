/**
 * 删除草稿: a draft run discarded, confirmed first (DELETE /api/v1/subsidy-runs/{id}); a reviewed run is never
 * discarded (409). A draft left beside a run of the same policy and year that went on to review can only wait, so it
 * is removed here; the audit log keeps what it was.
 */
import { DeleteOutlined } from '@ant-design/icons';
import { App, Popconfirm } from 'antd';
import { api, type Problem } from '../../api/client';
import { useCall } from '../../forms/useCall';
import { OperationButton } from '../../components/OperationButton';

const DISCARD = 'DELETE /api/v1/subsidy-runs/{id}' as const;

export function DiscardButton({ runId, onDone, onProblem }: { runId: string; onDone: () => void; onProblem: (problem: Problem | undefined) => void }) {
  const { message } = App.useApp();
  const { busy, run: discard } = useCall(
    () => api.DELETE('/api/v1/subsidy-runs/{id}', { params: { path: { id: runId } } }),
    () => {
      void message.success('已删除本草稿');
      onDone();
    },
    onProblem,
  );
  return (
    <Popconfirm title="删除本草稿？" description="草稿未经复核，删除后不可恢复；操作记入审计日志。" okText="删除" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={discard}>
      <OperationButton operation={DISCARD} icon={<DeleteOutlined />} loading={busy} danger>
        删除草稿
      </OperationButton>
    </Popconfirm>
  );
}
