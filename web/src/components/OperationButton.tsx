/**
 * A button that calls an API operation: rendered only for the roles the operation allows, so an auditor never sees
 * a button that changes anything. `data-operation` lets the end-to-end tests check exactly that.
 */
import { Button, type ButtonProps } from 'antd';
import type { Operation } from '../api/roles';
import { useCan } from '../auth/session';

export function OperationButton({ operation, ...props }: ButtonProps & { operation: Operation }) {
  const can = useCan();
  if (!can(operation)) return null;
  return <Button data-operation={operation} {...props} />;
}
