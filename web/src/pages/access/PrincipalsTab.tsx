/** Principals and their tokens: the list; for staff, create (the token is shown once) and revoke. */
import { PlusOutlined } from '@ant-design/icons';
import { App, Popconfirm, Table } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/session';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { StatusTag } from '../../components/StatusTag';
import { formatInstant } from '../../format/date';
import { FUNDING_BODY_LABELS, label, ROLE_LABELS } from '../../format/labels';
import { problemDetail, problemTitle } from '../../forms/problem';
import type { Bank } from './BanksTab';
import { CreatePrincipalDialog, type CreatedPrincipal } from './CreatePrincipalDialog';
import { TokenOnceDialog } from './TokenOnceDialog';

type PrincipalRow = paths['/api/v1/principals']['get']['responses'][200]['content']['application/json']['items'][number];

export function PrincipalsTab({ banks }: { banks: Bank[] }) {
  const principals = useLoad(() => allPages((cursor) => api.GET('/api/v1/principals', { params: { query: wholeListPage(cursor) } })), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedPrincipal>();
  const { message } = App.useApp();
  const can = useCan();
  const bankName = (id: string | null) => (id ? (banks.find((bank) => bank.id === id)?.name ?? id) : '—');

  const revoke = async (principal: PrincipalRow) => {
    const { error } = await api.DELETE('/api/v1/principals/{id}', { params: { path: { id: principal.id } } });
    if (error) void message.error(`${problemTitle(error)}：${problemDetail(error)}`);
    else void message.success(`已撤销 ${principal.name} 的令牌`);
    principals.reload();
  };

  return (
    <>
      <div style={{ marginBottom: 16 }}>
        <OperationButton operation="POST /api/v1/principals" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          新建用户
        </OperationButton>
      </div>
      <LoadProblem problem={principals.problem} />
      <Table<PrincipalRow>
        rowKey="id"
        loading={principals.loading}
        dataSource={principals.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '角色', dataIndex: 'role', render: (role: PrincipalRow['role']) => ROLE_LABELS[role] },
          { title: '所属银行', dataIndex: 'bankId', render: bankName },
          { title: '出资方', dataIndex: 'body', render: (body: string | null) => label(FUNDING_BODY_LABELS, body) },
          { title: '创建时间', dataIndex: 'createdAt', render: formatInstant },
          {
            title: '状态',
            dataIndex: 'revokedAt',
            render: (revokedAt: string | null) =>
              revokedAt ? <StatusTag tone="muted">已撤销 {formatInstant(revokedAt)}</StatusTag> : <StatusTag tone="ok">有效</StatusTag>,
          },
          ...(can('DELETE /api/v1/principals/{id}')
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  render: (_: unknown, principal: PrincipalRow) =>
                    !principal.revokedAt && (
                      <Popconfirm
                        title={`撤销 ${principal.name} 的令牌？`}
                        description="撤销后该令牌立即失效，不能恢复。"
                        okText="撤销"
                        cancelText="取消"
                        onConfirm={() => revoke(principal)}
                      >
                        <OperationButton operation="DELETE /api/v1/principals/{id}" danger size="small">
                          撤销
                        </OperationButton>
                      </Popconfirm>
                    ),
                },
              ]
            : []),
        ]}
      />
      {creating && (
        <CreatePrincipalDialog
          banks={banks}
          onClose={() => setCreating(false)}
          onCreated={(principal) => {
            setCreating(false);
            setCreated(principal);
            principals.reload();
          }}
        />
      )}
      {created && <TokenOnceDialog principal={created} onClose={() => setCreated(undefined)} />}
    </>
  );
}
