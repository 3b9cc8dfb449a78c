/** POST /api/v1/principals: a bank principal needs its bank, a finance principal its funding body. */
import { Button, Form, Input, Modal, Select } from 'antd';
import { useCallback, useState } from 'react';
import { api, idempotencyKey } from '../../api/client';
import type { Role } from '../../api/roles';
import type { paths } from '../../api/schema';
import { FUNDING_BODY_LABELS, ROLE_LABELS } from '../../format/labels';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { useSubmit } from '../../forms/useSubmit';
import type { Bank } from './BanksTab';

type NewPrincipal = NonNullable<paths['/api/v1/principals']['post']['requestBody']>['content']['application/json'];
export type CreatedPrincipal = paths['/api/v1/principals']['post']['responses'][201]['content']['application/json'];

export function CreatePrincipalDialog({ banks, onClose, onCreated }: { banks: Bank[]; onClose: () => void; onCreated: (principal: CreatedPrincipal) => void }) {
  const [form] = Form.useForm<NewPrincipal>();
  const role = Form.useWatch('role', form);
  // One key for the dialog: a retry after a lost answer replays the first creation (a refusal stores nothing).
  const [key] = useState(idempotencyKey);
  const create = useCallback(
    (body: NewPrincipal) => api.POST('/api/v1/principals', { body, params: { header: { 'Idempotency-Key': key } } }),
    [key],
  );
  const { run, submitting, problem } = useSubmit(form, create, onCreated);
  return (
    <Modal
      open
      title="新建用户"
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="submit" type="primary" loading={submitting} onClick={() => form.submit()} data-operation="POST /api/v1/principals">
          创建并生成令牌
        </Button>,
      ]}
    >
      <ProblemAlert problem={problem} />
      <Form name="newPrincipal" form={form} layout="vertical" onFinish={run}>
        <Form.Item label="名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入名称' }]}>
          <Input autoFocus placeholder="如 工商银行园州支行系统" />
        </Form.Item>
        <Form.Item label="角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
          <Select<Role> options={(Object.keys(ROLE_LABELS) as Role[]).map((value) => ({ value, label: ROLE_LABELS[value] }))} />
        </Form.Item>
        {role === 'bank' && (
          <Form.Item label="所属银行" name="bankId" rules={[{ required: true, message: '请选择银行' }]}>
            <Select showSearch optionFilterProp="label" options={banks.map((bank) => ({ value: bank.id, label: `${bank.code} ${bank.name}` }))} />
          </Form.Item>
        )}
        {role === 'finance' && (
          <Form.Item label="出资方" name="body" rules={[{ required: true, message: '请选择出资方' }]}>
            <Select options={Object.entries(FUNDING_BODY_LABELS).map(([value, text]) => ({ value, label: `${text}（${value}）` }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
