/**
 * What staff enter for the yearly runs: fees of a loan (袁府办字〔2023〕25号 四(三)2), premiums (《关于全面加强知识产权工作的实施意见》 § 6), local contributions
 * (《关于全面加强知识产权工作的实施意见》 § 22), exclusions (《关于全面加强知识产权工作的实施意见》 § 23) and status records (《关于全面加强知识产权工作的实施意见》 § 20) of an enterprise, other programmes' support of a
 * loan (袁府办字〔2023〕25号 奖励认定1; 《关于全面加强知识产权工作的实施意见》 § 21). Each POST is
 * staff only and audited; each GET lists what was entered, with who and when.
 */
import { z } from 'zod';
import { formatYuan } from '../../money';
import { FEE_KINDS } from '../../subsidy/policy';
import {
  addContribution,
  addExclusion,
  addFee,
  addOtherSupport,
  addPremium,
  FISCAL_LEVELS,
  listContributions,
  listExclusions,
  listFees,
  listOtherSupport,
  listPremiums,
  withdrawExclusion,
} from '../../subsidy/runs/inputs';
import { addStatusRecord, listStatusRecords, withdrawStatusRecord } from '../../subsidy/runs/enterprise-status';
import { ENTERPRISE_CONDITIONS } from '../../subsidy/policy';
import { todayInChina } from '../../dates';
import type { RouteRegistry } from '../route';
import { IsoDate, pageOf, pageOfWhole, WholePage, PastDate, PositiveMoney, Money, Uuid } from '../schemas';

const READERS = ['staff', 'finance', 'auditor'] as const;
const LoanParams = z.object({ id: Uuid });
/** Records page by their ids (pageOfWhole). */
const byId = (record: { id: string }) => record.id;
const EnterpriseParams = z.object({ uscc: z.string().regex(/^[0-9A-Z]{18}$/, 'must be an 18-character USCC') });
const Year = z.number().int().min(2000).max(2100);
const Recorded = { id: z.string(), recordedBy: z.string().nullable(), recordedAt: z.string() };

const FeeOut = z.object({ ...Recorded, loanId: z.string(), kind: z.enum(FEE_KINDS as ['evaluation', 'guarantee', 'insurance']), amount: z.string(), paidOn: z.string() });
const PremiumOut = z.object({ ...Recorded, enterpriseUscc: z.string(), amount: z.string(), paidOn: z.string() });
const ContributionOut = z.object({ ...Recorded, enterpriseUscc: z.string(), year: z.number(), amount: z.string(), current: z.boolean() });
const Withdrawal = z
  .object({ on: z.string(), reason: z.string(), by: z.string().nullable(), at: z.string() })
  .nullable()
  .meta({ description: 'null while the record stands; a withdrawn record no longer counts in runs' });
const ExclusionOut = z.object({
  id: z.string(),
  enterpriseUscc: z.string(),
  year: z.number(),
  reason: z.string(),
  setBy: z.string().nullable(),
  setAt: z.string(),
  withdrawal: Withdrawal,
});
const StatusRecordOut = z.object({
  id: z.string(),
  enterpriseUscc: z.string(),
  condition: z.enum(ENTERPRISE_CONDITIONS),
  from: z.string(),
  to: z.string().nullable().meta({ description: 'last day (inclusive); null: still so' }),
  reason: z.string(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
  withdrawal: Withdrawal,
});
const OtherSupportOut = z.object({
  ...Recorded,
  loanId: z.string(),
  programme: z.string(),
  fiscalLevel: z.string(),
  amount: z.string(),
  year: z.number().nullable(),
});

const money = <T extends { amountFen: bigint }>(item: T) => {
  const { amountFen, ...rest } = item;
  return { ...rest, amount: formatYuan(amountFen) };
};

export function registerSubsidyInputRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'post',
    path: '/api/v1/loans/{id}/fees',
    summary: 'Record an evaluation, guarantee or insurance fee paid for a loan (袁府办字〔2023〕25号 四(三)2)',
    tag: 'subsidy inputs',
    roles: ['staff'],
    params: LoanParams,
    body: z.object({ kind: z.enum(['evaluation', 'guarantee', 'insurance']), amount: PositiveMoney, paidOn: PastDate }).strict(),
    responses: { 201: { description: 'the fee', schema: FeeOut } },
    handler: async ({ db, params, body, principal, audit }) => {
      const fee = await addFee(db, { loanId: params.id, kind: body.kind, amountFen: body.amount, paidOn: body.paidOn }, principal.id);
      await audit('subsidy.fee_recorded', { feeId: fee.id, loanId: fee.loanId, kind: fee.kind, amount: formatYuan(fee.amountFen) });
      return { status: 201, body: money(fee) };
    },
  });
  registry.add({
    method: 'get',
    path: '/api/v1/loans/{id}/fees',
    summary: 'Fees recorded for a loan',
    tag: 'subsidy inputs',
    roles: READERS,
    params: LoanParams,
    query: WholePage,
    responses: { 200: { description: 'fees', schema: pageOf(FeeOut) } },
    handler: async ({ db, params, query }) => ({ status: 200, body: pageOfWhole((await listFees(db, params.id)).map(money), query, byId) }),
  });

  registry.add({
    method: 'post',
    path: '/api/v1/loans/{id}/other-support',
    summary: 'Record support the loan received from another programme (袁府办字〔2023〕25号 奖励认定1; 《关于全面加强知识产权工作的实施意见》 § 21: only the excess of the run’s own amount after the caps is paid)',
    tag: 'subsidy inputs',
    roles: ['staff'],
    params: LoanParams,
    body: z
      .object({
        programme: z.string().trim().min(1).max(200),
        fiscalLevel: z.enum(FISCAL_LEVELS),
        amount: PositiveMoney,
        year: Year.optional().meta({ description: 'the year the support belongs to; absent: netted in every run of the loan' }),
      })
      .strict(),
    responses: { 201: { description: 'the record', schema: OtherSupportOut } },
    handler: async ({ db, params, body, principal, audit }) => {
      const record = await addOtherSupport(
        db,
        { loanId: params.id, programme: body.programme, fiscalLevel: body.fiscalLevel, amountFen: body.amount, year: body.year },
        principal.id,
      );
      await audit('subsidy.other_support_recorded', { id: record.id, loanId: record.loanId, amount: formatYuan(record.amountFen) });
      return { status: 201, body: money(record) };
    },
  });
  registry.add({
    method: 'get',
    path: '/api/v1/loans/{id}/other-support',
    summary: "Other programmes' support recorded for a loan",
    tag: 'subsidy inputs',
    roles: READERS,
    params: LoanParams,
    query: WholePage,
    responses: { 200: { description: 'records', schema: pageOf(OtherSupportOut) } },
    handler: async ({ db, params, query }) => ({ status: 200, body: pageOfWhole((await listOtherSupport(db, params.id)).map(money), query, byId) }),
  });

  registry.add({
    method: 'post',
    path: '/api/v1/enterprises/{uscc}/premiums',
    summary: 'Record a patent-insurance premium an enterprise paid (《关于全面加强知识产权工作的实施意见》 § 6)',
    tag: 'subsidy inputs',
    roles: ['staff'],
    params: EnterpriseParams,
    body: z.object({ amount: PositiveMoney, paidOn: PastDate }).strict(),
    responses: { 201: { description: 'the premium', schema: PremiumOut } },
    handler: async ({ db, params, body, principal, audit }) => {
      const premium = await addPremium(db, { uscc: params.uscc, amountFen: body.amount, paidOn: body.paidOn }, principal.id);
      await audit('subsidy.premium_recorded', { id: premium.id, uscc: premium.enterpriseUscc, amount: formatYuan(premium.amountFen) });
      return { status: 201, body: money(premium) };
    },
  });
  registry.add({
    method: 'get',
    path: '/api/v1/enterprises/{uscc}/premiums',
    summary: 'Premiums recorded for an enterprise',
    tag: 'subsidy inputs',
    roles: READERS,
    params: EnterpriseParams,
    query: WholePage,
    responses: { 200: { description: 'premiums', schema: pageOf(PremiumOut) } },
    handler: async ({ db, params, query }) => ({ status: 200, body: pageOfWhole((await listPremiums(db, params.uscc)).map(money), query, byId) }),
  });

  registry.add({
    method: 'post',
    path: '/api/v1/enterprises/{uscc}/contributions',
    summary: "Record an enterprise's local contribution for a year (《关于全面加强知识产权工作的实施意见》 § 22: support in that year is capped at it); the latest record counts",
    tag: 'subsidy inputs',
    roles: ['staff'],
    params: EnterpriseParams,
    body: z.object({ year: Year, amount: Money }).strict(),
    responses: { 201: { description: 'the contribution', schema: ContributionOut } },
    handler: async ({ db, params, body, principal, audit }) => {
      const contribution = await addContribution(db, { uscc: params.uscc, year: body.year, amountFen: body.amount }, principal.id);
      await audit('subsidy.contribution_recorded', { id: contribution.id, uscc: params.uscc, year: body.year, amount: formatYuan(body.amount) });
      return { status: 201, body: money(contribution) };
    },
  });
  registry.add({
    method: 'get',
    path: '/api/v1/enterprises/{uscc}/contributions',
    summary: 'Contributions recorded for an enterprise (superseded records kept, `current` marks the one that counts)',
    tag: 'subsidy inputs',
    roles: READERS,
    params: EnterpriseParams,
    query: WholePage,
    responses: { 200: { description: 'contributions', schema: pageOf(ContributionOut) } },
    handler: async ({ db, params, query }) => ({ status: 200, body: pageOfWhole((await listContributions(db, params.uscc)).map(money), query, byId) }),
  });

  registry.add({
    method: 'post',
    path: '/api/v1/enterprises/{uscc}/exclusions',
    summary: 'Flag an enterprise for a year (《关于全面加强知识产权工作的实施意见》 § 23: accident, labour dispute, violation under investigation): it gets nothing that year',
    tag: 'subsidy inputs',
    roles: ['staff'],
    params: EnterpriseParams,
    body: z.object({ year: Year, reason: z.string().trim().min(1).max(500) }).strict(),
    responses: { 201: { description: 'the flag', schema: ExclusionOut } },
    handler: async ({ db, params, body, principal, audit }) => {
      const exclusion = await addExclusion(db, { uscc: params.uscc, year: body.year, reason: body.reason }, principal.id);
      await audit('subsidy.exclusion_recorded', { id: exclusion.id, uscc: params.uscc, year: body.year, reason: body.reason });
      return { status: 201, body: exclusion };
    },
  });
  registry.add({
    method: 'post',
    path: '/api/v1/enterprises/{uscc}/status-records',
    summary:
      'Record that an enterprise is not an independent legal person, or not in normal operation, from a day (to a day) with a reason (《关于全面加强知识产权工作的实施意见》 § 20): under a policy with these conditions, every line of the enterprise in a run whose year the period overlaps is ineligible, naming the record',
    tag: 'subsidy inputs',
    roles: ['staff'],
    params: EnterpriseParams,
    body: z
      .object({
        condition: z.enum(ENTERPRISE_CONDITIONS),
        from: PastDate.meta({ description: 'first day it is so; not in the future' }),
        to: IsoDate.nullish().meta({ description: 'last day it is so (inclusive); absent: still so' }),
        reason: z.string().trim().min(1).max(500),
      })
      .strict(),
    responses: { 201: { description: 'the record', schema: StatusRecordOut } },
    handler: async ({ db, params, body, principal, audit }) => {
      const record = await addStatusRecord(db, { uscc: params.uscc, condition: body.condition, from: body.from, to: body.to, reason: body.reason }, principal.id, todayInChina());
      await audit('enterprise.status_recorded', { id: record.id, uscc: params.uscc, condition: record.condition, from: record.from, to: record.to, reason: record.reason });
      return { status: 201, body: record };
    },
  });
  registry.add({
    method: 'post',
    path: '/api/v1/enterprises/{uscc}/status-records/{id}/withdrawal',
    summary: 'Withdraw a status record, dated, with a reason, once: it stays on record and no longer counts in runs computed after',
    tag: 'subsidy inputs',
    roles: ['staff'],
    params: EnterpriseParams.extend({ id: Uuid }),
    body: z
      .object({
        date: PastDate.optional().meta({ description: 'when it was withdrawn (default today); not in the future' }),
        reason: z.string().trim().min(1).max(500),
      })
      .strict(),
    responses: {
      200: { description: 'the record with its withdrawal', schema: StatusRecordOut },
      409: { description: 'the record was already withdrawn' },
    },
    handler: async ({ db, params, body, principal, audit }) => {
      const today = todayInChina();
      const record = await withdrawStatusRecord(db, params.uscc, params.id, { date: body.date ?? today, reason: body.reason }, principal.id, today);
      await audit('enterprise.status_withdrawn', { id: record.id, uscc: params.uscc, on: record.withdrawal!.on, reason: record.withdrawal!.reason });
      return { status: 200, body: record };
    },
  });
  registry.add({
    method: 'get',
    path: '/api/v1/enterprises/{uscc}/status-records',
    summary: "An enterprise's status records (《关于全面加强知识产权工作的实施意见》 § 20), withdrawn ones too, with who recorded and withdrew them",
    tag: 'subsidy inputs',
    roles: ['staff', 'auditor'],
    params: EnterpriseParams,
    query: WholePage,
    responses: { 200: { description: 'records', schema: pageOf(StatusRecordOut) } },
    handler: async ({ db, params, query }) => ({ status: 200, body: pageOfWhole(await listStatusRecords(db, params.uscc), query, byId) }),
  });

  registry.add({
    method: 'post',
    path: '/api/v1/enterprises/{uscc}/exclusions/{id}/withdrawal',
    summary:
      'Withdraw an exclusion (《关于全面加强知识产权工作的实施意见》 § 23), dated, with a reason, once: it stays on record and no longer counts in runs computed after',
    tag: 'subsidy inputs',
    roles: ['staff'],
    params: EnterpriseParams.extend({ id: Uuid }),
    body: z
      .object({
        date: PastDate.optional().meta({ description: 'when it was withdrawn (default today); not in the future, not before the flag was set' }),
        reason: z.string().trim().min(1).max(500),
      })
      .strict(),
    responses: {
      200: { description: 'the exclusion with its withdrawal', schema: ExclusionOut },
      404: { description: 'the enterprise has no such exclusion' },
      409: { description: 'the exclusion was already withdrawn' },
    },
    handler: async ({ db, params, body, principal, audit }) => {
      const today = todayInChina();
      const exclusion = await withdrawExclusion(db, params.uscc, params.id, { date: body.date ?? today, reason: body.reason }, principal.id, today);
      await audit('subsidy.exclusion_withdrawn', { id: exclusion.id, uscc: params.uscc, year: exclusion.year, on: exclusion.withdrawal!.on, reason: exclusion.withdrawal!.reason });
      return { status: 200, body: exclusion };
    },
  });
  registry.add({
    method: 'get',
    path: '/api/v1/enterprises/{uscc}/exclusions',
    summary: 'Exclusion flags of an enterprise, withdrawn ones too, with reason and who set and withdrew them',
    tag: 'subsidy inputs',
    roles: READERS,
    params: EnterpriseParams,
    query: WholePage,
    responses: { 200: { description: 'flags', schema: pageOf(ExclusionOut) } },
    handler: async ({ db, params, query }) => ({ status: 200, body: pageOfWhole(await listExclusions(db, params.uscc), query, byId) }),
  });
}
