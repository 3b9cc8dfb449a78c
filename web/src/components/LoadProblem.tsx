import { Alert } from 'antd';
import type { Problem } from '../api/client';
import { problemTitle } from '../forms/problem';

/** Why a page's data could not be read. */
export function LoadProblem({ problem }: { problem: Problem | undefined }) {
  if (!problem) return null;
  return <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={problemTitle(problem)} description={problem.detail} />;
}
