/**
 * The trial balance now or as of the end of a date (GET /api/v1/ledger/trial-balance): accounts by their Chinese
 * names (the code on hover), money accounts first and the memo accounts of loans and banks grouped apart, each table
 * paged; a balance is shown on the side it lies ("借" or "贷", web/src/catalogue/ledger.ts), never with a minus sign.
 */
import { Button, Collapse, DatePicker, Form, Input, Table, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { Amount } from '../../components/Amount';
import { ACCOUNT_GROUP_LABELS, ACCOUNT_TYPE_LABELS, sidedBalance } from '../../catalogue';
import { DATE_FORMAT, toApiDate } from '../../format/date';
import { label } from '../../format/labels';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { useSubmit } from '../../forms/useSubmit';

type TrialBalanceData = paths['/api/v1/ledger/trial-balance']['get']['responses'][200]['content']['application/json'];
type AccountRow = TrialBalanceData['accounts'][number];

interface Filter {
  asOf?: Dayjs | null;
  prefix?: string;
}

/** Rows a page: a table of 20 accounts fits a 1440 × 900 window with the form above it. */
const PAGE_SIZE = 20;

const load = (filter: Filter) =>
  api.GET('/api/v1/ledger/trial-balance', {
    params: { query: { asOf: toApiDate(filter.asOf), prefix: filter.prefix?.trim() || undefined } },
  });

const groupOf = (code: string) => code.split(':')[0] ?? '';

function AccountTable({ accounts, caption }: { accounts: AccountRow[]; caption: string }) {
  return (
    <Table<AccountRow>
      rowKey="code"
      dataSource={accounts}
      pagination={{ pageSize: PAGE_SIZE, hideOnSinglePage: true, showSizeChanger: false, showTotal: (total) => `共 ${total} 个账户` }}
      size="small"
      aria-label={caption}
      columns={[
        {
          title: '科目名称',
          dataIndex: 'nameZh',
          render: (name: string, account) => (
            <Tooltip title={`科目代码 ${account.code}`}>
              <span tabIndex={0}>{name}</span>
            </Tooltip>
          ),
        },
        { title: '类型', dataIndex: 'type', width: 72, render: (type: string) => label(ACCOUNT_TYPE_LABELS, type) },
        { title: '借方发生额', dataIndex: 'debits', align: 'right', width: 170, render: (value: string) => <Amount value={value} /> },
        { title: '贷方发生额', dataIndex: 'credits', align: 'right', width: 170, render: (value: string) => <Amount value={value} /> },
        {
          title: '余额（方向）',
          dataIndex: 'balance',
          align: 'right',
          width: 190,
          render: (value: string, account) => <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{sidedBalance(value, account.normalSide)}</span>,
        },
      ]}
    />
  );
}

export function TrialBalance() {
  const [form] = Form.useForm<Filter>();
  const [data, setData] = useState<TrialBalanceData>();
  const { run, submitting, problem } = useSubmit(form, load, setData);
  useEffect(() => {
    void run({});
  }, [run]);

  const accounts = [...(data?.accounts ?? [])].sort((a, b) => a.code.localeCompare(b.code));
  const money = accounts.filter((account) => account.type !== 'memo');
  const memoGroups = [...new Set(accounts.filter((account) => account.type === 'memo').map((account) => groupOf(account.code)))];

  return (
    <>
      <Form name="trialBalance" form={form} layout="inline" onFinish={run} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label="截至日期" name="asOf">
          <DatePicker format={DATE_FORMAT} placeholder="今天" />
        </Form.Item>
        <Form.Item label="科目代码前缀" name="prefix">
          <Input placeholder="如 fund:" allowClear />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submitting}>
          查询
        </Button>
      </Form>
      <ProblemAlert problem={problem} />
      <Typography.Paragraph type="secondary">
        余额按其所在方向列示：“借”为借方余额，“贷”为贷方余额，“平”为无余额。资产、费用类科目正常为借方余额，负债、权益、收入类科目正常为贷方余额；出现在相反方向的余额需要核查。
      </Typography.Paragraph>
      {data && (
        <Typography.Paragraph strong>
          合计{data.asOf ? `（截至 ${data.asOf}）` : ''}：借方 <Amount value={data.totalDebits} />，贷方 <Amount value={data.totalCredits} />
          {data.totalDebits === data.totalCredits ? '，借贷平衡' : '，借贷不平衡'}
        </Typography.Paragraph>
      )}
      {submitting && !data ? (
        <Table loading dataSource={[]} columns={[]} />
      ) : (
        <>
          <Typography.Title level={3} style={{ fontSize: 15 }}>
            资金与财政科目
          </Typography.Title>
          <AccountTable accounts={money} caption="资金与财政科目" />
          {memoGroups.length > 0 && (
            <Collapse
              style={{ marginTop: 16 }}
              items={memoGroups.map((group) => {
                const rows = accounts.filter((account) => account.type === 'memo' && groupOf(account.code) === group);
                return {
                  key: group,
                  label: `${ACCOUNT_GROUP_LABELS[group] ?? '其他备查科目'}（${rows.length} 个账户）`,
                  children: <AccountTable accounts={rows} caption={ACCOUNT_GROUP_LABELS[group] ?? '其他备查科目'} />,
                };
              })}
            />
          )}
        </>
      )}
    </>
  );
}
