/**
 * 待办: what waits for the signed-in role (GET /api/v1/todo; docs/api.md "To do and a bank's figures"). The service
 * centre reviews, publicises and approves yearly runs, resolves objections, reviews and pays fund claims; a finance
 * bureau pays its body's share of approved runs; a bank follows its claims under review. Each item says who did the
 * step before and when, and opens the page where the next step is done.
 */
import { Button, Empty, List, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { LoadProblem } from '../../components/LoadProblem';
import { PageTitle } from '../../components/PageTitle';
import { StatusTag } from '../../components/StatusTag';
import { formatInstant, today } from '../../format/date';

type Item = paths['/api/v1/todo']['get']['responses'][200]['content']['application/json']['items'][number];

/** Each kind: what is to be done, the tag's colour, and what the amount is. */
const KINDS: Record<Item['kind'], { action: string; tone: 'ok' | 'bad' | 'info' | 'muted'; amount: string }> = {
  run_review: { action: '贴息测算待复核', tone: 'info', amount: '测算总额' },
  run_publicity: { action: '已复核，待公示', tone: 'info', amount: '贴息总额' },
  run_approval: { action: '公示中，期满后审批', tone: 'muted', amount: '贴息总额' },
  objection: { action: '公示异议待处理', tone: 'bad', amount: '贴息总额' },
  run_payment: { action: '已批准，待拨付', tone: 'ok', amount: '本出资方待拨付' },
  claim_review: { action: '代偿申请待审核', tone: 'info', amount: '申请代偿金额' },
  claim_payment: { action: '代偿已批准，待支付', tone: 'info', amount: '代偿金额' },
};

const STEPS: Record<string, string> = {
  computed: '测算',
  reviewed: '复核',
  publicised: '公示',
  approved: '批准',
  objection_raised: '提出异议',
  claim_submitted: '提交申请',
  claim_approved: '批准',
};

/** Where the next step is done. */
function placeOf(item: Item): string {
  if (item.kind === 'run_payment') return `/reconciliation?year=${item.year}`;
  if (item.runId) return `/subsidy/${item.runId}`;
  return `/fund?fund=${item.fundId}&tab=claims`;
}

function subjectOf(item: Item): string {
  if (item.runId) return `${item.policyTitle?.split('：')[0] ?? item.policyId} ${item.year} 年度`;
  return `${item.fundName}：${item.bankName ?? ''} 贷款 ${item.contractNo ?? ''}`;
}

/** "publicity ends 2025-01-18": passed, today, or days left. */
function dueText(due: string): string {
  const now = today();
  if (due < now) return `公示期已于 ${due} 届满，可审批`;
  if (due === now) return `公示期今日（${due}）届满`;
  return `公示期至 ${due}`;
}

/** "公示 — 初始管理员，2025-01-11（录入于 2026-12-03 11:12:58）": the step, who, the day it happened, when it was recorded. */
function previousText(item: Item): string {
  const { step, by, at, on } = item.previous;
  const recorded = at ? formatInstant(at) : null;
  const day = on ?? recorded ?? '—';
  const late = on && recorded && !recorded.startsWith(on) ? `（录入于 ${recorded}）` : '';
  return `${STEPS[step] ?? step} — ${by ?? '—'}，${day}${late}`;
}

export default function TodoPage() {
  const todo = useLoad(() => api.GET('/api/v1/todo'), []);
  const items = todo.data?.items ?? [];
  return (
    <>
      <PageTitle extra={<Button onClick={todo.reload}>刷新</Button>}>待办</PageTitle>
      <LoadProblem problem={todo.problem} />
      {todo.data && items.length === 0 && <Empty description="没有待办事项" />}
      {items.length > 0 && (
        <List<Item>
          loading={todo.loading}
          bordered
          dataSource={items}
          renderItem={(item) => {
            const kind = KINDS[item.kind];
            return (
              <List.Item
                data-kind={item.kind}
                actions={[
                  <Link key="go" to={placeOf(item)} aria-label={`去办理：${kind.action} ${subjectOf(item)}`}>
                    去办理
                  </Link>,
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <StatusTag tone={kind.tone}>{kind.action}</StatusTag>
                      <span>{subjectOf(item)}</span>
                    </Space>
                  }
                  description={
                    <Space orientation="vertical" size={2}>
                      <span>
                        {kind.amount} <Amount value={item.amount} />
                        {item.due && <>；{dueText(item.due)}</>}
                      </span>
                      {item.objectionText && <span>异议内容：{item.objectionText}</span>}
                      <Typography.Text type="secondary">上一步：{previousText(item)}</Typography.Text>
                    </Space>
                  }
                />
              </List.Item>
            );
          }}
        />
      )}
    </>
  );
}
