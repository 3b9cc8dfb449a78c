/**
 * One enterprise at /enterprises/:uscc, its file (一企一档): its registration (staff correct the name and the
 * division, each with a reason, audited), then a tab per part of the file — loans and pledges, subsidy lines by
 * year, contributions, premiums, fees, exclusions, other support, status records (《关于全面加强知识产权工作的实施意见》
 * § 20), fund claims, white-list entries, corrections — and 资格检查 (eligibility for a year). A tab is shown to the
 * roles that may read it (web/src/api/roles.ts); its actions to the roles that may do them. `?year=` opens the year
 * (a run's ineligible line links here with its year), `?tab=` a tab.
 */
import { CarriedCard } from './CarriedCard';
import { lastCompleteYear } from '../../format/date';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Card, ConfigProvider, Descriptions, Space, Tabs } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { Operation } from '../../api/roles';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/session';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { formatInstant } from '../../format/date';
import { EligibilityTab } from './EligibilityTab';
import { DivisionCorrectionDialog, NameCorrectionDialog } from './file/dialogs';
import { CorrectionsTab, FundClaimsTab, SubsidyLinesTab, WhitelistTab } from './file/FileTabs';
import { LoansTab } from './file/LoansTab';
import { ContributionsTab, ExclusionsTab, FeeDialog, FeesTab, OtherSupportDialog, OtherSupportTab, PremiumsTab, StatusRecordsTab } from './file/RecordTabs';
import { useEnterpriseLoans, type EnterpriseLoan } from './file/useEnterpriseLoans';

/** A hovered tab in the primary blue darkened: antd's hover blue on the page's grey is 4.3:1, under WCAG AA's 4.5:1. */
const TABS_THEME = { components: { Tabs: { itemHoverColor: '#0f4299', itemActiveColor: '#0f4299' } } };

/**
 * Twelve tabs fit on one line from about 1,150 px of content with a 16 px gutter (antd's 32 px needs 1,300): when
 * they do not fit, antd adds a "more" button inside the tab list, which axe-core reports as critical.
 */
const TAB_GUTTER_PX = 16;

type Dialog = { kind: 'fee' | 'otherSupport'; loan?: EnterpriseLoan } | { kind: 'name' | 'division' };

export function EnterpriseDetail() {
  const { uscc = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const can = useCan();
  const enterprise = useLoad(() => api.GET('/api/v1/enterprises/{uscc}', { params: { path: { uscc } } }), [uscc]);
  const loans = useEnterpriseLoans(uscc);
  const [dialog, setDialog] = useState<Dialog>();
  // Moves when a dialog opened from one tab recorded what another tab lists.
  const [recorded, setRecorded] = useState(0);
  const requested = Number(search.get('year'));
  const year = Number.isInteger(requested) && requested >= 2000 && requested <= 2100 ? requested : lastCompleteYear();
  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    next.set(name, value);
    setSearch(next, { replace: true });
  };
  const onYear = (next: number) => setParam('year', String(next));
  const data = enterprise.data;
  const loanList = loans.data?.items ?? [];
  const done = () => {
    setDialog(undefined);
    setRecorded((n) => n + 1);
  };

  const tab = (key: string, title: string, requires: Operation, children: React.ReactNode) => (can(requires) ? [{ key, label: title, children }] : []);
  const tabs = [
    ...tab('loans', '贷款与质押', 'GET /api/v1/loans', (
      <>
        <LoadProblem problem={loans.problem} />
        <LoansTab loans={loanList} loading={loans.loading} onFee={(loan) => setDialog({ kind: 'fee', loan })} onOtherSupport={(loan) => setDialog({ kind: 'otherSupport', loan })} />
      </>
    )),
    ...tab('subsidy', '贴息明细', 'GET /api/v1/subsidy-runs', <SubsidyLinesTab uscc={uscc} year={year} loans={loanList} onYear={onYear} />),
    ...tab('contributions', '地方贡献', 'GET /api/v1/enterprises/{uscc}/contributions', <ContributionsTab uscc={uscc} year={year} />),
    ...tab('premiums', '专利保险保费', 'GET /api/v1/enterprises/{uscc}/premiums', <PremiumsTab uscc={uscc} />),
    ...tab('fees', '评估担保保险费', 'GET /api/v1/loans/{id}/fees', <FeesTab loans={loanList} reloadKey={recorded} onAdd={() => setDialog({ kind: 'fee' })} />),
    ...tab('exclusions', '不予补助', 'GET /api/v1/enterprises/{uscc}/exclusions', <ExclusionsTab uscc={uscc} year={year} />),
    ...tab('otherSupport', '其他项目补助', 'GET /api/v1/loans/{id}/other-support', <OtherSupportTab loans={loanList} reloadKey={recorded} onAdd={() => setDialog({ kind: 'otherSupport' })} />),
    ...tab('status', '经营状态', 'GET /api/v1/enterprises/{uscc}/status-records', <StatusRecordsTab uscc={uscc} />),
    ...tab('claims', '风险补偿', 'GET /api/v1/funds/{id}/claims', <FundClaimsTab loans={loanList} />),
    ...tab('whitelist', '白名单', 'GET /api/v1/whitelist', <WhitelistTab uscc={uscc} />),
    ...tab('corrections', '更正记录', 'GET /api/v1/enterprises/{uscc}/name-corrections', <CorrectionsTab uscc={uscc} reloadKey={recorded} />),
    ...tab('eligibility', '资格检查', 'GET /api/v1/enterprises/{uscc}/eligibility', <EligibilityTab uscc={uscc} year={year} onYear={onYear} />),
  ];
  const requestedTab = search.get('tab');
  const activeTab = tabs.some((t) => t.key === requestedTab) ? requestedTab! : (tabs[0]?.key ?? 'loans');

  return (
    <>
      <PageTitle
        extra={
          <Link to="/enterprises">
            <Button icon={<ArrowLeftOutlined />}>返回企业列表</Button>
          </Link>
        }
      >
        {data ? data.name : '企业'}
      </PageTitle>
      <LoadProblem problem={enterprise.problem} />
      {data && (
        <>
          <Card
            style={{ marginBottom: 16 }}
            extra={
              <Space>
                <OperationButton operation="POST /api/v1/enterprises/{uscc}/name-corrections" icon={<EditOutlined />} onClick={() => setDialog({ kind: 'name' })}>
                  更正名称
                </OperationButton>
                <OperationButton operation="POST /api/v1/enterprises/{uscc}/division-corrections" icon={<EditOutlined />} onClick={() => setDialog({ kind: 'division' })}>
                  更正行政区划
                </OperationButton>
              </Space>
            }
            title="企业登记信息"
          >
            <Descriptions size="small" column={3}>
              <Descriptions.Item label="企业名称">{data.name}</Descriptions.Item>
              <Descriptions.Item label="统一社会信用代码">{data.uscc}</Descriptions.Item>
              <Descriptions.Item label="行政区划码">{data.divisionCode}</Descriptions.Item>
              {data.divisionReason && <Descriptions.Item label="区划说明">{data.divisionReason}</Descriptions.Item>}
              <Descriptions.Item label="登记时间">{formatInstant(data.createdAt)}</Descriptions.Item>
            </Descriptions>
          </Card>
          {can('GET /api/v1/subsidy-runs') && <CarriedCard uscc={uscc} />}
          <ConfigProvider theme={TABS_THEME}>
            <Tabs items={tabs} tabBarGutter={TAB_GUTTER_PX} activeKey={activeTab} onChange={(key) => setParam('tab', key)} />
          </ConfigProvider>
        </>
      )}
      {data && dialog?.kind === 'name' && <NameCorrectionDialog uscc={uscc} name={data.name} onClose={() => setDialog(undefined)} onDone={() => { done(); enterprise.reload(); }} />}
      {data && dialog?.kind === 'division' && (
        <DivisionCorrectionDialog uscc={uscc} divisionCode={data.divisionCode} onClose={() => setDialog(undefined)} onDone={() => { done(); enterprise.reload(); }} />
      )}
      {dialog?.kind === 'fee' && <FeeDialog loans={loanList} loan={dialog.loan} onClose={() => setDialog(undefined)} onDone={done} />}
      {dialog?.kind === 'otherSupport' && <OtherSupportDialog loans={loanList} loan={dialog.loan} defaultYear={year} onClose={() => setDialog(undefined)} onDone={done} />}
    </>
  );
}
