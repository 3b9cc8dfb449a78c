/**
 * The console's one modal form: a title, the fields, 取消 and the action. It holds what every such dialog needs and
 * used to repeat — one Idempotency-Key per opening (a retry after a lost answer replays the first write; a refusal
 * stores nothing), busy while the call runs, each problem+json error on its field and the rest above the form
 * (web/src/forms/useSubmit.ts) — so a page writes only its fields and its call.
 */
import { Button, Form, Modal, type FormInstance } from 'antd';
import { useCallback, useState, type ReactNode } from 'react';
import { idempotencyKey } from '../api/client';
import type { Operation } from '../api/roles';
import { ProblemAlert } from '../forms/ProblemAlert';
import { useSubmit, type Outcome } from '../forms/useSubmit';

export interface FormDialogProps<Values, T> {
  title: ReactNode;
  /** The form's name: antd derives the fields' ids from it (labels find their inputs, tests find the fields). */
  name: string;
  /** The action's label, e.g. 登记. */
  okText: string;
  /** A destructive action (驳回, 移出): the button is red. */
  danger?: boolean;
  /** The operation the action calls, as `data-operation` on its button (the end-to-end tests look for it). */
  operation?: Operation;
  /** The call; `key` is the dialog's Idempotency-Key. */
  submit: (values: Values, key: string) => Promise<Outcome<T>>;
  onDone: (data: T) => void;
  onClose: () => void;
  /** Given when the caller watches fields (Form.useWatch); otherwise the dialog makes its own. */
  form?: FormInstance<Values>;
  initialValues?: Partial<Values>;
  width?: number;
  children: ReactNode;
}

export function FormDialog<Values, T>({
  title,
  name,
  okText,
  danger,
  operation,
  submit,
  onDone,
  onClose,
  form: given,
  initialValues,
  width,
  children,
}: FormDialogProps<Values, T>) {
  const [own] = Form.useForm<Values>();
  const form = given ?? own;
  const [key] = useState(idempotencyKey);
  const call = useCallback((values: Values) => submit(values, key), [submit, key]);
  const { run, submitting, problem } = useSubmit(form, call, onDone);
  return (
    <Modal
      open
      title={title}
      width={width}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="submit" type="primary" danger={danger} loading={submitting} onClick={() => form.submit()} data-operation={operation}>
          {okText}
        </Button>,
      ]}
    >
      <ProblemAlert problem={problem} />
      <Form<Values> name={name} form={form} layout="vertical" onFinish={run} initialValues={initialValues}>
        {children}
      </Form>
    </Modal>
  );
}
