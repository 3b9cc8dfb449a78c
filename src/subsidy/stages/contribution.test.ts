/**
 * Stage 9 (《关于全面加强知识产权工作的实施意见》 § 22): support paid in Y at most the enterprise's local contribution for Y;
 * the excess carried to Y+1 and Y+2, then lapsed.
 */
import { shippedPolicy } from '../policies';
import { USCC } from '../test-fixtures';
import { applyContributionCap } from './contribution';
import { lineWork, stageInputs } from './test-support';

const dongyang = shippedPolicy('dongyang-2021');

describe('contribution cap', () => {
  it('80,000.00 of support against a contribution of 50,000.00: 30,000.00 cut (18,750.00 and 11,250.00) and carried to 2026–2027', () => {
    // 30,000 × 50/80 = 18,750; × 30/80 = 11,250
    const { ctx, sources } = stageInputs(dongyang, 2025);
    const lines = [lineWork(ctx, 'L1', USCC.dongyangA, 5_000_000n), lineWork(ctx, 'L2', USCC.dongyangA, 3_000_000n)];
    const stage = applyContributionCap(ctx, { contributions: [{ uscc: USCC.dongyangA, year: 2025, amountFen: 5_000_000n }], carryIn: [] }, sources.records, lines);
    expect(lines.map((work) => work.amountFen)).toEqual([3_125_000n, 1_875_000n]);
    expect(stage.carryOut).toEqual([{ uscc: USCC.dongyangA, originYear: 2025, amountFen: 3_000_000n, shares: [{ body: 'city', amountFen: 3_000_000n }] }]);
    expect(stage.contributions).toEqual([
      expect.objectContaining({ contributionFen: 5_000_000n, currentDueFen: 8_000_000n, currentPaidFen: 5_000_000n, carryOutFen: 3_000_000n }),
    ]);
  });

  it('carried amounts paid within the headroom: 10,000.00 of 2024 paid; 5,000.00 of 2023 lapses unpaid in its last year', () => {
    // contribution 40,000; this year's 30,000 first (current_year_first) leaves 10,000: the older 2023 carry (5,000) takes
    // 5,000 of it, 2024's 10,000 gets the 5,000 left and carries 5,000 on; 2023's last year is 2025, so nothing of it lapses
    const { ctx, sources } = stageInputs(dongyang, 2025);
    const lines = [lineWork(ctx, 'L1', USCC.dongyangA, 3_000_000n)];
    const stage = applyContributionCap(
      ctx,
      {
        contributions: [{ uscc: USCC.dongyangA, year: 2025, amountFen: 4_000_000n }],
        carryIn: [
          { uscc: USCC.dongyangA, originYear: 2024, amountFen: 1_000_000n },
          { uscc: USCC.dongyangA, originYear: 2023, amountFen: 500_000n },
        ],
      },
      sources.records,
      lines,
    );
    expect(stage.carriedWork.map((work) => [work.line.lineId, work.amountFen])).toEqual([
      [`carried_forward:${USCC.dongyangA}:2023`, 500_000n],
      [`carried_forward:${USCC.dongyangA}:2024`, 500_000n],
    ]);
    expect(stage.carryOut).toEqual([{ uscc: USCC.dongyangA, originYear: 2024, amountFen: 500_000n, shares: [{ body: 'city', amountFen: 500_000n }] }]);
    expect(stage.lapsed).toEqual([]);
  });

  it('no contribution entered: no cap, and the trace says so', () => {
    const { ctx, sources } = stageInputs(dongyang, 2025);
    const lines = [lineWork(ctx, 'L1', USCC.dongyangA, 5_000_000n)];
    applyContributionCap(ctx, { contributions: [], carryIn: [] }, sources.records, lines);
    expect(lines[0]!.amountFen).toBe(5_000_000n);
    expect(lines[0]!.line.trace.contribution).toEqual({ contributionFen: null, note: 'contribution not entered: no contribution cap applied', reference: dongyang.parameters.contributionCap.reference });
  });
});
