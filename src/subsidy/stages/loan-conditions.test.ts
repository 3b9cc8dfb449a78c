/**
 * Stage 2b: the loan's own conditions, each met or missed with what would meet it, and the share of the outstanding
 * the rate applies to.
 */
import { shippedPolicy } from '../policies';
import { validatePolicy } from '../policy';
import { loan } from '../test-fixtures';
import { dongyang2021, yuanzhou2023 } from '../policies';
import { withParameters } from '../test-fixtures';
import { ConditionSink } from './conditions';
import { countedRightType, fixingCondition, repaidOnTimeConditions, rightTypeCondition, rightTypeOf, sameAssetCondition, shareOf, sortedPledges } from './loan-conditions';
import { loanFacts } from './loan-facts';
import { stageInputs } from './test-support';
import { TraceNotes } from './trace';

const yuanzhou = shippedPolicy('yuanzhou-2023');
const dongyang = shippedPolicy('dongyang-2021');

function conditionsOf(policy = yuanzhou, fields: Parameters<typeof loan>[0], year = 2024) {
  const { ctx, sources } = stageInputs(policy, year, {}, true);
  const notes = new TraceNotes(ctx.caches.notesRoot);
  const sink = new ConditionSink(true);
  const facts = loanFacts(ctx, loan(fields));
  const rightType = rightTypeOf(ctx, notes, facts.loan);
  rightTypeCondition(ctx, sink, rightType);
  const share = shareOf(ctx, notes, sink, facts, rightType, sortedPledges(facts.loan));
  repaidOnTimeConditions(ctx, notes, sink, facts);
  sameAssetCondition(ctx, notes, sink, sortedPledges(facts.loan), sources.priorAssets);
  return { ctx, sink, share, rightType };
}

describe('right type', () => {
  it('Dongyang (patent, trademark): a loan pledging a trademark and a patent counts under patent; a copyright alone under none', () => {
    const { ctx } = stageInputs(dongyang, 2025);
    const both = loan({ loanId: 'R1', pledges: [{ rightType: 'trademark', number: 'T1' }, { rightType: 'patent', number: 'P1' }] });
    expect(countedRightType(ctx, both)).toBe('patent');
    expect(countedRightType(ctx, loan({ loanId: 'R2', pledges: [{ rightType: 'copyright', number: 'C1' }] }))).toBeNull();
  });

  it('a missed right type says which the policy supports', () => {
    const { sink } = conditionsOf(yuanzhou, { loanId: 'R3', pledges: [{ rightType: 'trademark', number: 'T1' }] });
    expect(sink.conditions.filter((condition) => !condition.met)).toEqual([
      expect.objectContaining({ code: 'right_type_eligible', params: { pledged: 'trademark', eligible: 'patent' }, toMeet: 'a loan pledging a patent: this loan pledges trademark, which the policy does not support' }),
    ]);
  });
});

describe('the share the rate applies to', () => {
  it('an IP-only loan: the whole outstanding (1/1)', () => {
    const { share } = conditionsOf(yuanzhou, { loanId: 'S1' });
    expect([share.shareNumerator, share.shareDenominator]).toEqual([1n, 1n]);
  });

  it('a combination loan of 10,000,000.00 with 6,000,000.00 pledged, secured 4,000,000.00 by its patent and 5,000,000.00 by a trademark: 4,000,000 / 10,000,000 under Yuanzhou', () => {
    // supported part = min(IP part 6,000,000.00, Σ patents' secured 4,000,000.00) = 4,000,000.00
    const { share, sink } = conditionsOf(yuanzhou, {
      loanId: 'S2',
      collateral: 'combination',
      principalFen: 1_000_000_000n,
      ipPledgedFen: 600_000_000n,
      pledges: [
        { rightType: 'patent', number: 'P1', securedFen: 400_000_000n },
        { rightType: 'trademark', number: 'T1', securedFen: 500_000_000n },
      ],
    });
    expect([share.shareNumerator, share.shareDenominator]).toEqual([400_000_000n, 1_000_000_000n]);
    expect(share.supportedPart).toMatchObject({ ipPartFen: '600000000', securedSupportedFen: '400000000', supportedPartFen: '400000000' });
    expect(sink.conditions.find((condition) => condition.code === 'secured_amounts_recorded')).toMatchObject({ met: true, params: { supportedPart: '4000000.00' } });
  });

  it('two patents securing 3,000,000.00 and 3,500,000.00 beside a trademark: the IP part 6,000,000.00 caps their 6,500,000.00', () => {
    const { share } = conditionsOf(yuanzhou, {
      loanId: 'S3',
      collateral: 'combination',
      principalFen: 1_000_000_000n,
      ipPledgedFen: 600_000_000n,
      pledges: [
        { rightType: 'patent', number: 'P1', securedFen: 300_000_000n },
        { rightType: 'patent', number: 'P2', securedFen: 350_000_000n },
        { rightType: 'trademark', number: 'T1', securedFen: 100_000_000n },
      ],
    });
    expect([share.shareNumerator, share.shareDenominator]).toEqual([600_000_000n, 1_000_000_000n]);
  });

  it('a pledge without its secured amount: missed, naming it', () => {
    const { sink } = conditionsOf(yuanzhou, { loanId: 'S4', pledges: [{ rightType: 'patent', number: 'P1', securedFen: 1n }, { rightType: 'trademark', number: 'T9' }] });
    expect(sink.conditions.filter((condition) => !condition.met)).toEqual([
      expect.objectContaining({ code: 'secured_amounts_recorded', params: { unsupported: 'trademark', missing: 'trademark T9', missingCount: 1 }, toMeet: expect.stringContaining("record each pledge's securedAmount") }),
    ]);
  });

  it('a minimum IP share of 0.5: 4,000,000.00 of 10,000,000.00 is below it', () => {
    const policy = validatePolicy(withParameters(yuanzhou2023, { minIpShareOfCombination: '0.5' }));
    const { sink } = conditionsOf(policy, { loanId: 'S5', collateral: 'combination', principalFen: 1_000_000_000n, ipPledgedFen: 400_000_000n });
    expect(sink.conditions.filter((condition) => !condition.met)).toEqual([
      expect.objectContaining({ code: 'ip_share_at_least_minimum', params: { ipPart: '4000000.00', principal: '10000000.00', minimum: '0.5' }, toMeet: 'an IP part of at least 0.5 of the principal: this contract pledges 4000000.00 of 10000000.00' }),
    ]);
  });
});

describe('repaid on time and the same asset (Dongyang)', () => {
  it('not settled: settle on or before the maturity with no overdue event', () => {
    const { sink } = conditionsOf(dongyang, { loanId: 'T1', startDate: '2025-01-15', maturityDate: '2026-01-14' }, 2025);
    expect(sink.conditions.filter((condition) => !condition.met).map((condition) => [condition.code, condition.toMeet])).toEqual([
      ['settled', 'settle on or before 2026-01-14 with no overdue event'],
    ]);
  });

  it('an overdue event, settled after maturity: missed for good', () => {
    const { sink } = conditionsOf(
      dongyang,
      {
        loanId: 'T2',
        startDate: '2024-03-01',
        maturityDate: '2025-02-28',
        events: [
          { type: 'disbursement', date: '2024-03-01', amountFen: 100_000_000n },
          { type: 'overdue', date: '2025-03-01', daysOverdue: 1 },
          { type: 'principal_repayment', date: '2025-03-05', amountFen: 100_000_000n },
          { type: 'settlement', date: '2025-03-05' },
        ],
      },
      2025,
    );
    expect(sink.conditions.filter((condition) => !condition.met)).toEqual([
      expect.objectContaining({ code: 'settled_by_maturity', params: { settlementDate: '2025-03-05', maturityDate: '2025-02-28' } }),
      expect.objectContaining({
        code: 'no_overdue_event',
        params: { eventType: 'overdue', date: '2025-03-01' },
        toMeetParams: { maturityDate: '2025-02-28', settlementDate: '2025-03-05' },
        toMeet: 'overdue on 2025-03-01, settled 2025-03-05 after maturity 2025-02-28: on-time repayment is required (settled by maturity with no overdue event), so this loan cannot meet it',
      }),
    ]);
  });

  it('settled 2025-05-03 after maturity 2025-04-30, no overdue event recorded: not repaid on time (按期还清)', () => {
    const { sink } = conditionsOf(
      dongyang,
      {
        loanId: 'T4',
        startDate: '2024-05-01',
        maturityDate: '2025-04-30',
        events: [
          { type: 'disbursement', date: '2024-05-01', amountFen: 100_000_000n },
          { type: 'principal_repayment', date: '2025-05-03', amountFen: 100_000_000n },
          { type: 'settlement', date: '2025-05-03' },
        ],
      },
      2025,
    );
    expect(sink.conditions.filter((condition) => !condition.met)).toEqual([
      expect.objectContaining({
        code: 'settled_by_maturity',
        params: { settlementDate: '2025-05-03', maturityDate: '2025-04-30' },
        toMeet: 'settled 2025-05-03 after maturity 2025-04-30: on-time repayment is required (settled on or before the maturity date), so this loan cannot meet it',
      }),
    ]);
  });

  it('settled on its maturity date 2025-04-30: on time', () => {
    const { sink } = conditionsOf(
      dongyang,
      {
        loanId: 'T5',
        startDate: '2024-05-01',
        maturityDate: '2025-04-30',
        events: [
          { type: 'disbursement', date: '2024-05-01', amountFen: 100_000_000n },
          { type: 'principal_repayment', date: '2025-04-30', amountFen: 100_000_000n },
          { type: 'settlement', date: '2025-04-30' },
        ],
      },
      2025,
    );
    expect(sink.conditions.filter((condition) => !condition.met)).toEqual([]);
  });

  it('a patent subsidised by the 2024 run misses "same asset" in 2025', () => {
    const { ctx, sources } = stageInputs(dongyang, 2025, { priorSubsidisedAssets: [{ rightType: 'patent', number: 'ZL1', year: 2024, loanId: 'OLD' }] });
    const sink = new ConditionSink(false);
    const facts = loanFacts(ctx, loan({ loanId: 'T3', pledges: [{ rightType: 'patent', number: 'ZL1' }] }));
    sameAssetCondition(ctx, new TraceNotes(ctx.caches.notesRoot), sink, sortedPledges(facts.loan), sources.priorAssets);
    expect(sink.conditions).toEqual([
      expect.objectContaining({
        code: 'asset_not_subsidised_in_another_year',
        message: 'patent ZL1 was subsidised in 2024 (loan OLD): the same asset is subsidised in one year only',
        params: { numbers: 'ZL1', years: '2024' },
      }),
    ]);
  });
});

describe('the fixing day', () => {
  it('a rate fixed by the contract date needs it: missed without, met with', () => {
    const policy = validatePolicy(withParameters(dongyang2021, { rateFixing: { rule: 'in_force_on_contract_date' } }));
    const { ctx } = stageInputs(policy, 2025, {}, true);
    const sink = new ConditionSink(true);
    expect(fixingCondition(ctx, sink, loanFacts(ctx, loan({ loanId: 'X1' })))).toEqual({ ok: false, missing: 'contract_date' });
    expect(fixingCondition(ctx, sink, loanFacts(ctx, loan({ loanId: 'X2', contractDate: '2023-06-25' })))).toMatchObject({ ok: true, description: 'in force on the contract date' });
    expect(sink.conditions.map((condition) => [condition.code, condition.met])).toEqual([
      ['contract_date_recorded', false],
      ['contract_date_recorded', true],
    ]);
  });
});
