/**
 * 白名单: the enterprises with high-value patents the district pushes to partner banks (002). Staff list an
 * enterprise with a reason and a validity period and remove it with a reason; everyone else reads (banks through
 * GET /api/v1/whitelist). "历史" shows every listing ever made (`?all=true`), removed ones with why.
 */
import { PlusOutlined } from '@ant-design/icons';
import { DatePicker, Form, Input, Modal, Segmented, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { api, idempotencyKey } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { StatusTag } from '../../components/StatusTag';
import { DATE_FORMAT, formatInstant, toApiDate } from '../../format/date';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { useSubmit } from '../../forms/useSubmit';

type Listing = paths['/api/v1/whitelist']['get']['responses'][200]['content']['application/json']['items'][number];

/** Rows per page of the table; the API answers the whole list in force (a few hundred enterprises at most). */
const ROWS_PER_PAGE = 20;

export default function WhitelistPage() {
  const [view, setView] = useState<'current' | 'all'>('current');
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Listing>();
  const list = useLoad(() => api.GET('/api/v1/whitelist', { params: { query: view === 'all' ? { all: 'true' } : {} } }), [view]);
  const done = () => {
    setAdding(false);
    setRemoving(undefined);
    list.reload();
  };
  return (
    <>
      <PageTitle
        extra={
          <OperationButton operation="POST /api/v1/whitelist" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            加入白名单
          </OperationButton>
        }
      >
        企业白名单
      </PageTitle>
      <Space style={{ marginBottom: 16 }} wrap>
        <Segmented
          aria-label="显示范围"
          value={view}
          onChange={(value) => setView(value as 'current' | 'all')}
          options={[
            { value: 'current', label: '当前有效' },
            { value: 'all', label: '全部历史' },
          ]}
        />
        {list.data?.on && <Typography.Text type="secondary">截至 {list.data.on} 有效的名单</Typography.Text>}
      </Space>
      <LoadProblem problem={list.problem} />
      <Table<Listing>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: ROWS_PER_PAGE, showSizeChanger: false, showTotal: (total) => `共 ${total} 条` }}
        size="middle"
        scroll={{ x: 1000 }}
        columns={[
          { title: '统一社会信用代码', dataIndex: 'enterpriseUscc' },
          { title: '企业名称', dataIndex: 'enterpriseName' },
          { title: '入选理由', dataIndex: 'reason' },
          { title: '有效期', key: 'validity', render: (_, row) => `${row.validFrom} 至 ${row.validTo}` },
          { title: '加入时间', dataIndex: 'addedAt', render: formatInstant },
          {
            title: '状态',
            key: 'state',
            render: (_, row) =>
              row.removedAt ? (
                <span>
                  <StatusTag tone="bad">已移出</StatusTag> {formatInstant(row.removedAt)}：{row.removalReason}
                </span>
              ) : (
                <StatusTag tone="ok">在册</StatusTag>
              ),
          },
          {
            title: '操作',
            key: 'actions',
            render: (_, row) =>
              row.removedAt ? null : (
                <OperationButton operation="POST /api/v1/whitelist/{id}/removal" size="small" danger onClick={() => setRemoving(row)}>
                  移出
                </OperationButton>
              ),
          },
        ]}
      />
      {adding && <AddDialog onClose={() => setAdding(false)} onDone={done} />}
      {removing && <RemoveDialog listing={removing} onClose={() => setRemoving(undefined)} onDone={done} />}
    </>
  );
}

interface AddValues {
  enterpriseUscc: string;
  reason: string;
  validity: [Dayjs, Dayjs];
}

function AddDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<AddValues>();
  const [key] = useState(idempotencyKey);
  const add = useCallback(
    async (values: AddValues) => {
      const outcome = await api.POST('/api/v1/whitelist', {
        body: {
          enterpriseUscc: values.enterpriseUscc.trim(),
          reason: values.reason.trim(),
          validFrom: toApiDate(values.validity[0])!,
          validTo: toApiDate(values.validity[1])!,
        },
        params: { header: { 'Idempotency-Key': key } },
      });
      // The API names validFrom / validTo; the form has them in one range field.
      for (const error of outcome.error?.errors ?? []) if (error.path === 'validFrom' || error.path === 'validTo') error.path = 'validity';
      return outcome;
    },
    [key],
  );
  const { run, submitting, problem } = useSubmit(form, add, onDone);
  return (
    <Modal open title="加入白名单" onCancel={onClose} onOk={() => form.submit()} okText="加入" cancelText="取消" confirmLoading={submitting}>
      <ProblemAlert problem={problem} />
      <Form name="whitelistAdd" form={form} layout="vertical" onFinish={run}>
        <Form.Item label="统一社会信用代码" name="enterpriseUscc" rules={[{ required: true, whitespace: true, message: '请输入已登记企业的统一社会信用代码' }]}>
          <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item label="入选理由" name="reason" rules={[{ required: true, whitespace: true, message: '请填写入选理由' }]}>
          <Input.TextArea maxLength={500} rows={3} placeholder="如：拥有高价值发明专利 3 件（002）" />
        </Form.Item>
        <Form.Item label="有效期" name="validity" rules={[{ required: true, message: '请选择有效期' }]}>
          <DatePicker.RangePicker format={DATE_FORMAT} placeholder={['生效日', '截止日']} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RemoveDialog({ listing, onClose, onDone }: { listing: Listing; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [key] = useState(idempotencyKey);
  const remove = useCallback(
    (values: { reason: string }) =>
      api.POST('/api/v1/whitelist/{id}/removal', {
        params: { path: { id: listing.id }, header: { 'Idempotency-Key': key } },
        body: { reason: values.reason.trim() },
      }),
    [key, listing.id],
  );
  const { run, submitting, problem } = useSubmit(form, remove, onDone);
  return (
    <Modal
      open
      title={`移出白名单：${listing.enterpriseName}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="确认移出"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      confirmLoading={submitting}
    >
      <ProblemAlert problem={problem} />
      <Form name="whitelistRemove" form={form} layout="vertical" onFinish={run}>
        <Form.Item label="移出理由" name="reason" rules={[{ required: true, whitespace: true, message: '请填写移出理由' }]}>
          <Input.TextArea maxLength={500} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
