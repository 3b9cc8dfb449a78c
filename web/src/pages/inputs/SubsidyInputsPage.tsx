/**
 * 补贴录入: the service centre's desk for the runs' inputs of one enterprise after another — find the enterprise by
 * name or USCC, then its local contribution, patent-insurance premiums, evaluation, guarantee and insurance fees,
 * other programmes' support, exclusions and status records, each listed with its form (the same tabs as its file,
 * /enterprises/:uscc). Many enterprises at once come from a sheet on 导入 (docs/imports.md).
 */
import { Card, Empty, InputNumber, Select, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { PageTitle } from '../../components/PageTitle';
import { FeeDialog, OtherSupportDialog } from '../enterprises/file/dialogs';
import { ContributionsTab, ExclusionsTab, FeesTab, OtherSupportTab, PremiumsTab, StatusRecordsTab } from '../enterprises/file/RecordTabs';
import { useEnterpriseLoans } from '../enterprises/file/useEnterpriseLoans';

/** A link inside a sentence is underlined: its colour alone does not set it apart (WCAG 1.4.1, axe link-in-text-block). */
const UNDERLINED = { textDecoration: 'underline' } as const;

/** How many enterprises the search offers at once. */
const MATCHES_SHOWN = 20;

export default function SubsidyInputsPage() {
  const [search, setSearch] = useSearchParams();
  const uscc = search.get('uscc') ?? '';
  const requested = Number(search.get('year'));
  const year = Number.isInteger(requested) && requested >= 2000 && requested <= 2100 ? requested : new Date().getFullYear() - 1;
  const [typed, setTyped] = useState('');
  const matches = useLoad(async () => {
    const text = typed.trim();
    if (text === '') return { data: { items: [] as { uscc: string; name: string }[] } };
    const byName = await api.GET('/api/v1/enterprises', { params: { query: { name: text, limit: MATCHES_SHOWN } } });
    if (byName.error) return { error: byName.error };
    if (byName.data.items.length > 0 || !/^[0-9A-Z]{18}$/i.test(text)) return { data: byName.data };
    const byUscc = await api.GET('/api/v1/enterprises/{uscc}', { params: { path: { uscc: text.toUpperCase() } } });
    return { data: { items: byUscc.data ? [byUscc.data] : [] } };
  }, [typed]);
  const enterprise = useLoad(async () => (uscc ? api.GET('/api/v1/enterprises/{uscc}', { params: { path: { uscc } } }) : { data: undefined }), [uscc]);
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    next.set(name, value);
    setSearch(next, { replace: true });
  };

  return (
    <>
      <PageTitle>补贴录入</PageTitle>
      <Typography.Paragraph type="secondary">
        逐户录入年度贴息计算所需的信息；批量录入请用 <Link to="/imports" style={UNDERLINED}>导入</Link> 页的模板。录入后到 <Link to="/subsidy" style={UNDERLINED}>贴息</Link> 页对草稿批次“重新计算”。
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <label htmlFor="inputEnterprise">企业</label>
        <Select
          id="inputEnterprise"
          showSearch
          filterOption={false}
          placeholder="输入企业名称或统一社会信用代码"
          style={{ width: 420 }}
          value={uscc || undefined}
          onSearch={setTyped}
          onChange={(value: string) => set('uscc', value)}
          loading={matches.loading}
          notFoundContent={typed.trim() ? '没有找到企业' : '请输入名称查找'}
          options={[
            ...(enterprise.data && !(matches.data?.items ?? []).some((e) => e.uscc === enterprise.data!.uscc) ? [enterprise.data] : []),
            ...(matches.data?.items ?? []),
          ].map((e) => ({ value: e.uscc, label: `${e.name}（${e.uscc}）` }))}
        />
        <label htmlFor="inputYear">年度</label>
        <InputNumber id="inputYear" min={2000} max={2100} value={year} onChange={(value) => value && set('year', String(value))} style={{ width: 110 }} />
      </Space>
      {enterprise.data ? (
        <Card
          title={enterprise.data.name}
          extra={<Link to={`/enterprises/${enterprise.data.uscc}?year=${year}`}>打开企业档案</Link>}
        >
          <Inputs uscc={enterprise.data.uscc} year={year} />
        </Card>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<Typography.Text type="secondary">请选择企业</Typography.Text>} />
      )}
    </>
  );
}

function Inputs({ uscc, year }: { uscc: string; year: number }) {
  const loans = useEnterpriseLoans(uscc);
  const loanList = loans.data?.items ?? [];
  const [dialog, setDialog] = useState<'fee' | 'otherSupport'>();
  const [recorded, setRecorded] = useState(0);
  const done = () => {
    setDialog(undefined);
    setRecorded((n) => n + 1);
  };
  return (
    <>
      <Tabs
        tabBarGutter={16}
        items={[
          { key: 'contributions', label: '地方贡献', children: <ContributionsTab uscc={uscc} year={year} /> },
          { key: 'premiums', label: '专利保险保费', children: <PremiumsTab uscc={uscc} /> },
          { key: 'fees', label: '评估担保保险费', children: <FeesTab loans={loanList} reloadKey={recorded} onAdd={() => setDialog('fee')} /> },
          { key: 'otherSupport', label: '其他项目补助', children: <OtherSupportTab loans={loanList} reloadKey={recorded} onAdd={() => setDialog('otherSupport')} /> },
          { key: 'exclusions', label: '不予补助', children: <ExclusionsTab uscc={uscc} year={year} /> },
          { key: 'status', label: '经营状态', children: <StatusRecordsTab uscc={uscc} /> },
        ]}
      />
      {dialog === 'fee' && <FeeDialog loans={loanList} onClose={() => setDialog(undefined)} onDone={done} />}
      {dialog === 'otherSupport' && <OtherSupportDialog loans={loanList} defaultYear={year} onClose={() => setDialog(undefined)} onDone={done} />}
    </>
  );
}
