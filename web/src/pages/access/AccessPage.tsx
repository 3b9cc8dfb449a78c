import { Tabs } from 'antd';
import { api } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { PageTitle } from '../../components/PageTitle';
import { BanksTab } from './BanksTab';
import { PrincipalsTab } from './PrincipalsTab';

export default function AccessPage() {
  const banks = useLoad(() => api.GET('/api/v1/banks'), []);
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
