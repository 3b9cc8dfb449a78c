import { Tabs } from 'antd';
import { api } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import { useLoad } from '../../api/useLoad';
import { PageTitle } from '../../components/PageTitle';
import { BanksTab } from './BanksTab';
import { PrincipalsTab } from './PrincipalsTab';

export default function AccessPage() {
  const banks = useLoad(() => allPages((cursor) => api.GET('/api/v1/banks', { params: { query: wholeListPage(cursor) } })), []);
  return (
    <>
      <PageTitle>机构与用户</PageTitle>
      <Tabs
        items={[
          { key: 'banks', label: '合作银行', children: <BanksTab banks={banks} /> },
          { key: 'principals', label: '用户与令牌', children: <PrincipalsTab banks={banks.data?.items ?? []} /> },
        ]}
      />
    </>
  );
}
