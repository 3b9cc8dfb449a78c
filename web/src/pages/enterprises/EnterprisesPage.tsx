/**
 * 企业: registered enterprises, filtered on the server (GET /api/v1/enterprises); staff and banks register one. An
 * enterprise's name opens its page (/enterprises/:uscc, EnterpriseDetail).
 */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Table } from 'antd';
import { useState } from 'react';
import { Link, Route, Routes } from 'react-router';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { formatInstant } from '../../format/date';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { showProblemOnForm, type UnplacedProblem } from '../../forms/problem';
import { EnterpriseDetail } from './EnterpriseDetail';
import { RegisterEnterpriseDialog } from './RegisterEnterpriseDialog';

type EnterpriseQuery = NonNullable<paths['/api/v1/enterprises']['get']['parameters']['query']>;
type EnterpriseRow = paths['/api/v1/enterprises']['get']['responses'][200]['content']['application/json']['items'][number];

/** 企业: the list at /enterprises, an enterprise at /enterprises/:uscc. */
export default function EnterprisesPage() {
  return (
    <Routes>
      <Route index element={<EnterpriseList />} />
      <Route path=":uscc" element={<EnterpriseDetail />} />
    </Routes>
  );
}

function EnterpriseList() {
  const [form] = Form.useForm<{ name?: string; divisionCode?: string }>();
  const [filter, setFilter] = useState<EnterpriseQuery>({});
  const [problem, setProblem] = useState<UnplacedProblem>();
  const [registering, setRegistering] = useState(false);
  const pager = useCursor(50);
  const page = useLoad(async () => {
    const outcome = await api.GET('/api/v1/enterprises', { params: { query: { ...filter, limit: pager.limit, cursor: pager.cursor } } });
    setProblem(outcome.error ? showProblemOnForm(form, outcome.error) : undefined);
    return outcome;
  }, [filter, pager.limit, pager.cursor]);

  return (
    <>
      <PageTitle
        extra={
          <OperationButton operation="POST /api/v1/enterprises" type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>
            登记企业
          </OperationButton>
        }
      >
        企业
      </PageTitle>
      <Form
        name="enterpriseFilter"
        form={form}
        layout="inline"
        onFinish={(values) => {
          pager.reset();
          setFilter({ name: values.name?.trim() || undefined, divisionCode: values.divisionCode?.trim() || undefined });
        }}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item label="企业名称" name="name">
          <Input allowClear style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label="行政区划码" name="divisionCode">
          <Input allowClear style={{ width: 120 }} placeholder="如 360902" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          筛选
        </Button>
      </Form>
      <ProblemAlert problem={problem} />
      <Table<EnterpriseRow>
        rowKey="uscc"
        loading={page.loading}
        dataSource={page.data?.items ?? []}
        pagination={false}
        size="middle"
        columns={[
          { title: '统一社会信用代码', dataIndex: 'uscc' },
          { title: '企业名称', dataIndex: 'name', render: (name: string, enterprise) => <Link to={`/enterprises/${enterprise.uscc}`}>{name}</Link> },
          { title: '行政区划码', dataIndex: 'divisionCode' },
          { title: '登记时间', dataIndex: 'createdAt', render: formatInstant },
        ]}
      />
      <CursorPager state={pager} nextCursor={page.data?.nextCursor} loading={page.loading} />
      {registering && (
        <RegisterEnterpriseDialog
          onClose={() => setRegistering(false)}
          onRegistered={() => {
            setRegistering(false);
            page.reload();
          }}
        />
      )}
    </>
  );
}
