/** Every version of the fund's rules, each from its effective date with the clause it implements (never edited). */
import { Table } from 'antd';
import { Amount } from '../../components/Amount';
import { bodiesText } from './FundDialogs';
import type { Fund } from './FundPage';

type Version = Fund['versions'][number];

export function VersionsTab({ fund }: { fund: Fund }) {
  const optionalAmount = (value: string | null) => (value === null ? '不设上限' : <Amount value={value} />);
  return (
    <Table<Version>
      rowKey="version"
      dataSource={[...fund.versions].reverse()}
      pagination={false}
      size="middle"
      scroll={{ x: 1100 }}
      columns={[
        { title: '版本', dataIndex: 'version', render: (v: number) => `第 ${v} 版` },
        { title: '生效日期', dataIndex: 'effectiveFrom' },
        { title: '代偿比例', dataIndex: 'shareOfLoss' },
        { title: '放大倍数', dataIndex: 'leverage', render: (v: string) => `${v} 倍` },
        { title: '逾期天数', dataIndex: 'claimAfterDaysOverdue', render: (v: number) => `${v} 天` },
        { title: '单笔上限', dataIndex: 'capPerLoan', align: 'right', render: optionalAmount },
        { title: '每行每年上限', dataIndex: 'capPerBankPerYear', align: 'right', render: optionalAmount },
        { title: '暂停不良率', dataIndex: 'suspensionRatio', render: (v: string | null) => v ?? '不暂停' },
        { title: '出资方', dataIndex: 'bodies', render: bodiesText },
        { title: '依据', dataIndex: 'reference' },
      ]}
    />
  );
}
