import { Tabs } from 'antd';
import { PageTitle } from '../../components/PageTitle';
import { AccountStatement } from './AccountStatement';
import { TrialBalance } from './TrialBalance';

export default function LedgerPage() {
  return (
    <>
      <PageTitle>账务</PageTitle>
      <Tabs
        items={[
          { key: 'trial-balance', label: '试算平衡表', children: <TrialBalance /> },
          { key: 'statement', label: '账户明细', children: <AccountStatement /> },
        ]}
      />
    </>
  );
}
