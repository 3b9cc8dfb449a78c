/**
 * 政策版本: every subsidy policy with its versions (`GET /api/v1/policies`); a version's page shows what changed from
 * the version before, side by side; staff create a new version from the current one (NewVersionPage.tsx). A recorded
 * version is never edited (docs/subsidy-rules.md "Versions").
 */
import { Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import { useLoad } from '../../api/useLoad';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { interpretationText, parameterReferenceText } from '../../catalogue/subsidy';
import NewVersionPage from './NewVersionPage';
import { describeValue, PARAMETER_LABELS, sameValue, type ParameterRecord, type PolicyRecord } from './parameters';
import { chinaDayOf } from '../../format/date';

export function policyName(policy: PolicyRecord): string {
  return `${policy.title}（${policy.documentNo}）`;
}

function PolicyList() {
  const policies = useLoad(() => allPages((cursor) => api.GET('/api/v1/policies', { params: { query: wholeListPage(cursor) } })), []);
  const navigate = useNavigate();
  const items = policies.data?.items ?? [];
  const ids = [...new Set(items.map((item) => item.id))];
  return (
    <>
      <PageTitle>政策版本</PageTitle>
      <LoadProblem problem={policies.problem} />
      {ids.map((id) => {
        const versions = items.filter((item) => item.id === id).sort((a, b) => b.version - a.version);
        const latest = versions[0]!;
        return (
          <Card
            key={id}
            size="small"
            style={{ marginBottom: 16 }}
            title={policyName(latest)}
            extra={
              <OperationButton operation="POST /api/v1/policies" onClick={() => navigate(`/policies/${id}/new`)}>
                新建版本
              </OperationButton>
            }
          >
            <Table
              size="small"
              rowKey="version"
              pagination={false}
              dataSource={versions}
              loading={policies.loading}
              columns={[
                { title: '版本', dataIndex: 'version', render: (version: number) => <Link to={`/policies/${id}/${version}`}>第 {version} 版</Link> },
                { title: '生效日期', dataIndex: 'effectiveFrom' },
                { title: '失效日期', dataIndex: 'effectiveTo', render: (value: string | null | undefined) => value ?? '—' },
                { title: '记录时间', dataIndex: 'recordedAt', render: (value: string) => chinaDayOf(value) },
              ]}
            />
          </Card>
        );
      })}
    </>
  );
}

/** The parameters of a version beside those of the version before it: what changed, side by side. */
export function VersionComparison({ previous, current }: { previous: PolicyRecord | undefined; current: PolicyRecord }) {
  const before = (previous?.parameters ?? {}) as unknown as Record<string, ParameterRecord>;
  const after = current.parameters as unknown as Record<string, ParameterRecord>;
  const names = Object.keys(after);
  const rows = names.map((name) => {
    const changed = previous !== undefined && (!sameValue(before[name]?.value, after[name]?.value) || before[name]?.reference !== after[name]?.reference);
    return { name, changed, before: before[name], after: after[name] };
  });
  rows.sort((a, b) => Number(b.changed) - Number(a.changed));
  const changedCount = rows.filter((row) => row.changed).length;
  return (
    <>
      <Typography.Paragraph>
        {previous ? `与第 ${previous.version} 版相比，${changedCount} 项参数有变化（列在前面）。` : '这是第一个版本。'}
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={rows}
        rowClassName={(row) => (row.changed ? 'parameter-changed' : '')}
        columns={[
          {
            title: '参数',
            dataIndex: 'name',
            render: (name: string, row) => (
              <Space direction="vertical" size={0}>
                <span>
                  {PARAMETER_LABELS[name] ?? name}
                  {row.changed && (
                    <Tag color="#ad4e00" style={{ marginInlineStart: 8 }}>
                      有变化
                    </Tag>
                  )}
                </span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {name}
                </Typography.Text>
              </Space>
            ),
          },
          ...(previous
            ? [
                {
                  title: `第 ${previous.version} 版`,
                  key: 'before',
                  render: (_: unknown, row: (typeof rows)[number]) => <ParameterCell name={row.name} parameter={row.before} />,
                },
              ]
            : []),
          { title: `第 ${current.version} 版`, key: 'after', render: (_: unknown, row: (typeof rows)[number]) => <ParameterCell name={row.name} parameter={row.after} /> },
        ]}
      />
    </>
  );
}

function ParameterCell({ name, parameter }: { name: string; parameter: ParameterRecord | undefined }) {
  if (!parameter) return <span>（此版本无此参数）</span>;
  return (
    <Space direction="vertical" size={0}>
      <span>{describeValue(name, parameter.value)}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        依据：{parameterReferenceText(parameter.reference)}
      </Typography.Text>
      {parameter.interpretation && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          解释：{interpretationText({ parameter: name, text: parameter.interpretation })}
        </Typography.Text>
      )}
    </Space>
  );
}

function VersionPage() {
  const { id = '', version = '' } = useParams();
  const navigate = useNavigate();
  const policies = useLoad(() => allPages((cursor) => api.GET('/api/v1/policies', { params: { query: wholeListPage(cursor) } })), []);
  const versions = (policies.data?.items ?? []).filter((item) => item.id === id);
  const current = versions.find((item) => item.version === Number(version));
  const previous = versions.filter((item) => item.version < Number(version)).sort((a, b) => b.version - a.version)[0];
  return (
    <>
      <PageTitle extra={<Link to="/policies">返回政策版本</Link>}>{current ? `${current.title} 第 ${current.version} 版` : '政策版本'}</PageTitle>
      <LoadProblem problem={policies.problem} />
      {!policies.loading && !current && <Typography.Paragraph>没有这个版本。</Typography.Paragraph>}
      {current && (
        <>
          <Descriptions size="small" bordered column={2} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="文件">{current.documentNo}</Descriptions.Item>
            <Descriptions.Item label="版本">第 {current.version} 版</Descriptions.Item>
            <Descriptions.Item label="生效日期">{current.effectiveFrom}</Descriptions.Item>
            <Descriptions.Item label="适用地区">{current.jurisdiction.divisionPrefixes.join('、')}</Descriptions.Item>
            {current.effectiveFromReference && (
              <Descriptions.Item label="生效依据" span={2}>
                {current.effectiveFromReference}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Card
            size="small"
            title="参数对照"
            extra={
              <OperationButton operation="POST /api/v1/policies" onClick={() => navigate(`/policies/${id}/new`)}>
                新建版本
              </OperationButton>
            }
          >
            <VersionComparison previous={previous} current={current} />
          </Card>
        </>
      )}
    </>
  );
}

export default function PoliciesPage() {
  return (
    <Routes>
      <Route index element={<PolicyList />} />
      <Route path=":id/new" element={<NewVersionPage />} />
      <Route path=":id/:version" element={<VersionPage />} />
    </Routes>
  );
}
