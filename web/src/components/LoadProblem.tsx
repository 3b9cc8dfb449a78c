import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import type { Problem } from '../api/client';
import { problemDetail, problemTitle } from '../forms/problem';

/**
 * Why a page's data could not be read, in Chinese from the problem's code; when the service could not be reached (or
 * failed on its side) a 重试 button reads again — `onRetry`, or the whole page when the caller gives none.
 */
export function LoadProblem({ problem, onRetry }: { problem: Problem | undefined; onRetry?: () => void }) {
  if (!problem) return null;
  const retryable = problem.status === 0 || problem.status >= 500;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={problemTitle(problem)}
      description={problemDetail(problem)}
      action={
        retryable ? (
          <Button size="small" icon={<ReloadOutlined />} onClick={onRetry ?? (() => window.location.reload())}>
            重试
          </Button>
        ) : undefined
      }
    />
  );
}
