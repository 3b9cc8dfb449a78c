/** POST /api/v1/principals: a bank principal needs its bank, a finance principal its funding body. */
import { Form, Input, Select } from 'antd';
import { useCallback } from 'react';
import { api } from '../../api/client';
import type { Role } from '../../api/roles';
import type { paths } from '../../api/schema';
import { FUNDING_BODY_LABELS, ROLE_LABELS } from '../../format/labels';
import { FormDialog } from '../../components/FormDialog';
import type { Bank } from './BanksTab';

type NewPrincipal = NonNullable<paths['/api/v1/principals']['post']['requestBody']>['content']['application/json'];
export type CreatedPrincipal = paths['/api/v1/principals']['post']['responses'][201]['content']['application/json'];

export function CreatePrincipalDialog({ banks, onClose, onCreated }: { banks: Bank[]; onClose: () => void; onCreated: (principal: CreatedPrincipal) => void }) {
  const [form] = Form.useForm<NewPrincipal>();
  const role = Form.useWatch('role', form);
  const create = useCallback((body: NewPrincipal, key: string) => api.POST('/api/v1/principals', { body, params: { header: { 'Idempotency-Key': key } } }), []);
  return (
    <FormDialog<NewPrincipal, CreatedPrincipal>
      title="新建用户"
      name="newPrincipal"
      okText="创建并生成令牌"
      operation="POST /api/v1/principals"
      form={form}
      submit={create}
      onDone={onCreated}
      onClose={onClose}
    >
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
    </FormDialog>
  );
}
