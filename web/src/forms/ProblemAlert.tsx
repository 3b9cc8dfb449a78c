import { Alert } from 'antd';
import type { UnplacedProblem } from './problem';

/** What of a problem named no field of the form. */
export function ProblemAlert({ problem, onClose }: { problem: UnplacedProblem | undefined; onClose?: () => void }) {
  if (!problem) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={problem.title}
      description={problem.messages.length === 1 ? problem.messages[0] : <ul>{problem.messages.map((m) => <li key={m}>{m}</li>)}</ul>}
      {...(onClose ? { closable: { onClose } } : {})}
    />
  );
}
