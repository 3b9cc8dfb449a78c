/**
 * 白名单: the enterprises with high-value patents the district pushes to partner banks (《云阳县高价值发明专利质量提升行动方案（2022—2024年）》). Staff list an
 * enterprise with a reason and a validity period and remove it with a reason; everyone else reads (banks through
 * GET /api/v1/whitelist). "历史" shows every listing ever made (`?all=true`), removed ones with why.
 */
import { PlusOutlined } from '@ant-design/icons';
import { DatePicker, Form, Input, Modal, Segmented, Space, Table, Typography, type TableProps } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, idempotencyKey } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { sortOf, sortOrder } from '../../components/serverSort';
import { StatusTag } from '../../components/StatusTag';
import { DATE_FORMAT, formatInstant, toApiDate } from '../../format/date';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { useSubmit } from '../../forms/useSubmit';

type Listing = paths['/api/v1/whitelist']['get']['responses'][200]['content']['application/json']['items'][number];
type WhitelistSort = NonNullable<NonNullable<paths['/api/v1/whitelist']['get']['parameters']['query']>['sort']>;

/** The columns the API sorts the white-list by (src/loans/whitelist.ts), keyed as the table's columns. */
const SORTABLE = ['name', 'validFrom', 'validTo', 'addedAt'] as const;

export default function WhitelistPage() {
  const [view, setView] = useState<'current' | 'all'>('current');
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Listing>();
  // Filtered, sorted and paged on the server.
  const [sort, setSort] = useState<WhitelistSort>();
  const [enterprise, setEnterprise] = useState<string>();
  const pager = useCursor(20);
  const list = useLoad(
    () =>
      api.GET('/api/v1/whitelist', {
        params: { query: { ...(view === 'all' ? { all: 'true' as const } : {}), sort, enterprise, limit: pager.limit, cursor: pager.cursor } },
      }),
    [view, sort, enterprise, pager.limit, pager.cursor],
  );
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
          onChange={(value) => {
            pager.reset();
            setView(value as 'current' | 'all');
          }}
          options={[
            { value: 'current', label: '当前有效' },
            { value: 'all', label: '全部历史' },
          ]}
        />
        <Input.Search
          aria-label="企业名称或信用代码"
          placeholder="企业名称或信用代码"
          allowClear
          style={{ width: 240 }}
          onSearch={(value) => {
            pager.reset();
            setEnterprise(value.trim() || undefined);
          }}
        />
        {list.data?.on && <Typography.Text type="secondary">截至 {list.data.on} 有效的名单</Typography.Text>}
      </Space>
      <LoadProblem problem={list.problem} />
      <Table<Listing>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        size="middle"
        scroll={{ x: 1000 }}
        onChange={((_pagination, _filters, sorter) => {
          pager.reset();
          setSort(sortOf(sorter, SORTABLE) as WhitelistSort | undefined);
        }) satisfies TableProps<Listing>['onChange']}
        columns={[
          { title: '统一社会信用代码', dataIndex: 'enterpriseUscc' },
          {
            title: '企业名称',
            key: 'name',
            dataIndex: 'enterpriseName',
            sorter: true,
            sortOrder: sortOrder(sort, 'name'),
            render: (name: string, listing) => <Link to={`/enterprises/${listing.enterpriseUscc}?tab=whitelist`}>{name}</Link>,
          },
          { title: '入选理由', dataIndex: 'reason' },
          { title: '生效日', key: 'validFrom', dataIndex: 'validFrom', sorter: true, sortOrder: sortOrder(sort, 'validFrom') },
          { title: '截止日', key: 'validTo', dataIndex: 'validTo', sorter: true, sortOrder: sortOrder(sort, 'validTo') },
          { title: '加入时间', key: 'addedAt', dataIndex: 'addedAt', render: formatInstant, sorter: true, sortOrder: sortOrder(sort, 'addedAt') },
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
      <CursorPager state={pager} nextCursor={list.data?.nextCursor} loading={list.loading} />
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
