/** Partner banks: the list, and for staff a form to register one (POST /api/v1/banks). */
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Table } from 'antd';
import { useCallback, useState } from 'react';
import { api, idempotencyKey } from '../../api/client';
import type { paths } from '../../api/schema';
import type { Loaded } from '../../api/useLoad';
import { OperationButton } from '../../components/OperationButton';
import { LoadProblem } from '../../components/LoadProblem';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { useSubmit } from '../../forms/useSubmit';

type Banks = paths['/api/v1/banks']['get']['responses'][200]['content']['application/json'];
export type Bank = Banks['items'][number];
type NewBank = NonNullable<paths['/api/v1/banks']['post']['requestBody']>['content']['application/json'];

export function BanksTab({ banks }: { banks: Loaded<Banks> }) {
  const [creating, setCreating] = useState(false);
  return (
    <>
      <div style={{ marginBottom: 16 }}>
        <OperationButton operation="POST /api/v1/banks" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          登记合作银行
        </OperationButton>
      </div>
      <LoadProblem problem={banks.problem} />
      <Table<Bank>
        rowKey="id"
        loading={banks.loading}
        dataSource={banks.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: '银行代码', dataIndex: 'code', sorter: (a, b) => a.code.localeCompare(b.code), defaultSortOrder: 'ascend' },
          { title: '银行名称', dataIndex: 'name' },
        ]}
      />
      {creating && (
        <CreateBankDialog
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            banks.reload();
          }}
        />
      )}
    </>
  );
}

function CreateBankDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (bank: Bank) => void }) {
  const [form] = Form.useForm<NewBank>();
  const { message } = App.useApp();
  // One key for the dialog: a retry after a lost answer replays the first registration (a refusal stores nothing).
  const [key] = useState(idempotencyKey);
  const create = useCallback(
    (body: NewBank) => api.POST('/api/v1/banks', { body, params: { header: { 'Idempotency-Key': key } } }),
    [key],
  );
  const done = useCallback(
    (bank: Bank) => {
      void message.success(`已登记 ${bank.name}`);
      onCreated(bank);
    },
    [message, onCreated],
  );
  const { run, submitting, problem } = useSubmit(form, create, done);
  return (
    <Modal
      open
      title="登记合作银行"
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="submit" type="primary" loading={submitting} onClick={() => form.submit()} data-operation="POST /api/v1/banks">
          登记
        </Button>,
      ]}
    >
      <ProblemAlert problem={problem} />
      <Form name="newBank" form={form} layout="vertical" onFinish={run}>
        <Form.Item label="银行代码" name="code" extra="1–32 位字母、数字、“-”或“_”，如 ICBC-YZ" rules={[{ required: true, message: '请输入银行代码' }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item label="银行名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入银行名称' }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
