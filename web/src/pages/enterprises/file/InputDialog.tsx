/**
 * A form in a dialog that records one thing of the enterprise's file through one API operation: the same
 * Idempotency-Key for every retry of this dialog, the API's problems on their fields, the rest above the form.
 */
import { Button, Form, Modal, type FormInstance } from 'antd';
import { useCallback, useState, type ReactNode } from 'react';
import { idempotencyKey } from '../../../api/client';
import type { Operation } from '../../../api/roles';
import { ProblemAlert } from '../../../forms/ProblemAlert';
import { useSubmit, type Outcome } from '../../../forms/useSubmit';

export function InputDialog<Values extends object>({
  title,
  name,
  operation,
  submitLabel = '保存',
  initialValues,
  submit,
  onClose,
  onDone,
  children,
}: {
  title: string;
  /** The form's name: its fields' ids are `<name>_<field>`. */
  name: string;
  operation: Operation;
  submitLabel?: string;
  initialValues?: Partial<Values>;
  submit: (values: Values, key: string) => Promise<Outcome<unknown>>;
  onClose: () => void;
  onDone: () => void;
  children: ReactNode | ((form: FormInstance<Values>) => ReactNode);
}) {
  const [form] = Form.useForm<Values>();
  const [key] = useState(idempotencyKey);
  const call = useCallback((values: Values) => submit(values, key), [submit, key]);
  const { run, submitting, problem } = useSubmit(form, call, onDone);
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="submit" type="primary" loading={submitting} onClick={() => form.submit()} data-operation={operation}>
          {submitLabel}
        </Button>,
      ]}
    >
      <ProblemAlert problem={problem} />
      <Form<Values> name={name} form={form} layout="vertical" onFinish={run} initialValues={initialValues}>
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}
