/**
 * The fund's pure arithmetic (src/fund/README.md). Every expected figure is worked by hand beside it;
 * money in fen (1 CNY = 100 fen).
 */
import { parseYuan } from '../money';
import {
  applyCaps,
  computeClaim,
  coveredLoss,
  coveredPrincipal,
  fundPartOfLoss,
  leverageLimitFen,
  recoveryShare,
  suspension,
  type ClaimInput,
} from './compute';
import { fundParameterProblems, versionInForce, type FundParameters, type FundVersion } from './parameters';

const y = parseYuan;

const flat: FundParameters = {
  shareOfLoss: '0.5',
  shareTiers: [],
  lossParties: [],
  claimAfterDaysOverdue: 90,
  capPerLoanFen: null,
  capPerBankPerYearFen: null,
  capPerBorrowerPerYearFen: null,
  capPerYearFen: null,
  suspensionRatio: null,
  leverage: '10',
  bodies: ['city', 'district'],
  partnerBankIds: null,
};

/** Jiangsu 苏知贷: 80 % on the part up to 10 million, 50 % from 10 to 30 million, nothing above. */
const jiangsu: FundParameters = {
  ...flat,
  shareOfLoss: '0',
  shareTiers: [
    { upToFen: y('10000000'), share: '0.8' },
    { upToFen: y('30000000'), share: '0.5' },
  ],
};

/** Zhongshan: fund : bank : insurer : appraiser = 54 : 26 : 16 : 4. */
const zhongshan: FundParameters = {
  ...flat,
  shareOfLoss: '0.54',
  lossParties: [
    { party: 'fund', weight: '54' },
    { party: 'bank', weight: '26' },
    { party: 'insurer', weight: '16' },
    { party: 'appraiser', weight: '4' },
  ],
};

const version = (parameters: FundParameters, effectiveFrom = '2024-01-01'): FundVersion => ({
  fundId: 'f1',
  version: 1,
  effectiveFrom,
  reference: '袁府办字〔2023〕25号 三(一)2',
  parameters,
});

const claim = (overrides: Partial<ClaimInput> = {}, loan: Partial<ClaimInput['loan']> = {}): ClaimInput => ({
  version: version(flat),
  claimDate: '2025-04-01',
  loan: {
    loanId: 'L1',
    principalFen: y('1000000'),
    collateral: 'ip_only',
    ipPledgedFen: y('1000000'),
    outstandingFen: y('800000'),
    firstOverdueDate: '2025-01-01',
    firstDefaultDate: '2025-02-01',
    settlementDate: null,
    ...loan,
  },
  alreadyClaimedOnLoanFen: 0n,
  bankClaimedInYearFen: 0n,
  bank: { coveredFen: y('10000000'), nonPerformingCoveredFen: y('1000000') },
  ...overrides,
});

describe('the covered loss (unrecovered principal × IP share)', () => {
  it('of an IP-only loan with 800,000.00 unrecovered is 800,000.00', () => {
    expect(coveredLoss(y('800000'), y('1000000'), y('1000000')).roundedFen).toBe(y('800000'));
  });

  it('of a 3,000,000 combination loan pledging 1,000,000 of IP with 2,000,000.00 unrecovered is 666,666.67', () => {
    // 200,000,000 fen × 100,000,000 ÷ 300,000,000 = 66,666,666.67 fen → 66,666,667 fen half-up.
    const loss = coveredLoss(y('2000000'), y('1000000'), y('3000000'));
    expect(loss.roundedFen).toBe(66_666_667n);
    expect(loss.unrounded.toFixed(4)).toBe('66666666.6667');
  });

  it('covered principal is the IP-pledged amount of a combination loan and the principal of an IP-only loan', () => {
    expect(coveredPrincipal({ collateral: 'combination', principalFen: y('3000000'), ipPledgedFen: y('1000000') })).toBe(y('1000000'));
    expect(coveredPrincipal({ collateral: 'ip_only', principalFen: y('3000000'), ipPledgedFen: y('3000000') })).toBe(y('3000000'));
  });
});

describe('the fund share', () => {
  it('flat 0.5 of a 666,666.67 loss is 333,333.34 (33,333,333.5 fen rounds half-up)', () => {
    const { fundPartFen, trace } = fundPartOfLoss(flat, 66_666_667n);
    expect(fundPartFen).toBe(33_333_334n);
    expect(trace).toMatchObject({ rule: 'flat', unroundedFen: '33333333.5', roundedFen: '33333334' });
  });

  it.each([
    // loss, expected: worked by tier
    ['6000000', '4800000', '6,000,000 × 0.8'],
    ['10000000', '8000000', '10,000,000 × 0.8 (the last fen of the first tier)'],
    ['10000000.01', '8000000.01', '10,000,000 × 0.8 + 0.01 × 0.5 = 8,000,000.005 → 8,000,000.01 half-up'],
    ['25000000', '15500000', '10,000,000 × 0.8 + 15,000,000 × 0.5 = 8,000,000 + 7,500,000'],
    ['35000000', '18000000', '8,000,000 + 20,000,000 × 0.5 + 5,000,000 × 0 (above the tiers: not covered)'],
  ])('Jiangsu tiers: a covered loss of %s gives the fund %s (%s)', (loss, expected) => {
    expect(fundPartOfLoss(jiangsu, y(loss)).fundPartFen).toBe(y(expected));
  });

  it('Jiangsu tiers: the trace shows each tier’s portion and part and the effective share', () => {
    const { trace } = fundPartOfLoss(jiangsu, y('25000000'));
    expect(trace).toMatchObject({
      rule: 'tiers',
      tiers: [
        { fromFen: '0', upToFen: '1000000000', share: '0.8', portionFen: '1000000000', partFen: '800000000' },
        { fromFen: '1000000000', upToFen: '3000000000', share: '0.5', portionFen: '1500000000', partFen: '750000000' },
        { fromFen: '3000000000', upToFen: null, share: '0', portionFen: '0', partFen: '0' },
      ],
      effectiveShare: '0.6200000000', // 15,500,000 ÷ 25,000,000
    });
  });

  it('Zhongshan parties 54:26:16:4 split a 1,000,000.01 loss exactly; the leftover fen goes to the fund (largest remainder .54)', () => {
    // Exact parts in fen: 54,000,000.54 / 26,000,000.26 / 16,000,000.16 / 4,000,000.04; floors sum to 100,000,000,
    // one fen left over goes to the largest remainder (.54, the fund).
    const { fundPartFen, trace } = fundPartOfLoss(zhongshan, y('1000000.01'));
    expect(fundPartFen).toBe(54_000_001n);
    expect(trace).toMatchObject({
      rule: 'parties',
      parties: [
        { party: 'fund', amountFen: '54000001' },
        { party: 'bank', amountFen: '26000000' },
        { party: 'insurer', amountFen: '16000000' },
        { party: 'appraiser', amountFen: '4000000' },
      ],
    });
  });
});

describe('the caps', () => {
  const capped = { ...flat, capPerLoanFen: y('300000'), capPerBankPerYearFen: y('500000') };

  it('a 400,000 fund part is cut to 300,000 per loan, less 100,000 already claimed, then to the bank’s 50,000 headroom', () => {
    // 400,000 → min(400,000, 300,000) = 300,000 (cut 100,000) → 300,000 − 100,000 = 200,000 (cut 100,000)
    // → headroom 500,000 − 450,000 = 50,000 → 50,000 (cut 150,000).
    const claimed = { onLoanFen: y('100000'), borrowerInYearFen: 0n, bankInYearFen: y('450000'), fundInYearFen: 0n };
    const { amountFen, steps } = applyCaps(capped, y('400000'), claimed, '2025');
    expect(amountFen).toBe(y('50000'));
    expect(steps.map((s) => [s.step, s.beforeFen, s.afterFen, s.cutFen])).toEqual([
      ['cap_per_loan', '40000000', '30000000', '10000000'],
      ['already_claimed_on_loan', '30000000', '20000000', '10000000'],
      ['cap_per_bank_per_year', '20000000', '5000000', '15000000'],
    ]);
  });

  it('one fen under each cap passes untouched; the cap that does not cut is still recorded with a cut of 0', () => {
    const claimed = { onLoanFen: 0n, borrowerInYearFen: 0n, bankInYearFen: y('200000'), fundInYearFen: 0n };
    const { amountFen, steps } = applyCaps(capped, y('299999.99'), claimed, '2025');
    expect(amountFen).toBe(y('299999.99'));
    expect(steps.map((s) => s.cutFen)).toEqual(['0', '0']);
  });

  it('Guangzhou-style yearly caps per borrower and for the fund in all cut after the bank’s, in that order', () => {
    // 400,000 → borrower headroom 20,000,000 − 19,900,000 = 100,000 → 100,000 (cut 300,000); bank: no cap;
    // fund headroom 50,000,000 − 49,960,000 = 40,000 → 40,000 (cut 60,000).
    const guangzhou = { ...flat, capPerBorrowerPerYearFen: y('20000000'), capPerYearFen: y('50000000') };
    const claimed = { onLoanFen: 0n, borrowerInYearFen: y('19900000'), bankInYearFen: y('999999999'), fundInYearFen: y('49960000') };
    const { amountFen, steps } = applyCaps(guangzhou, y('400000'), claimed, '2025');
    expect(amountFen).toBe(y('40000'));
    expect(steps.map((s) => [s.step, s.afterFen, s.cutFen])).toEqual([
      ['cap_per_borrower_per_year', '10000000', '30000000'],
      ['cap_per_year', '4000000', '6000000'],
    ]);
  });

  it('a bank that has used its whole yearly cap has 0 headroom, and a claim leaves nothing to claim', () => {
    const result = computeClaim(claim({ version: version(capped), bankClaimedInYearFen: y('500000') }));
    expect(result.amountFen).toBe(0n);
    expect(result.refusals.map((r) => r.code)).toEqual(['nothing_left_to_claim']);
  });
});

describe('a claim', () => {
  it('on an 800,000.00 IP-only default 90 days overdue, at flat 0.5, is 400,000.00 with the whole trace', () => {
    const result = computeClaim(claim());
    expect(result.refusals).toEqual([]);
    expect(result.amountFen).toBe(y('400000'));
    expect(result.trace).toMatchObject({
      claimDate: '2025-04-01',
      overdue: { firstOverdueDate: '2025-01-01', daysOverdue: 90, claimAfterDaysOverdue: 90 },
      unrecoveredPrincipalFen: '80000000',
      ipShare: { value: '1.0000000000' },
      coveredLoss: { roundedFen: '80000000' },
      fundPartFen: '40000000',
      caps: [],
      nonPerforming: { ratio: '0.1000000000', suspended: false },
      amount: '400000.00',
    });
  });

  it('89 days after the first overdue event (2025-01-01 → 2025-03-31) is refused; 90 days is allowed', () => {
    // January 31 + February 28 + March 30 = 89 days.
    const early = computeClaim(claim({ claimDate: '2025-03-31' }));
    expect(early.amountFen).toBe(0n);
    expect(early.refusals).toEqual([
      { code: 'overdue_too_short', message: 'the loan has been overdue 89 days (since 2025-01-01); a claim needs 90' },
    ]);
    expect(computeClaim(claim({ claimDate: '2025-04-01' })).refusals).toEqual([]);
  });

  it('without a default event, or without an overdue event, or after settlement, is refused naming each reason', () => {
    const result = computeClaim(claim({}, { firstDefaultDate: null, firstOverdueDate: null }));
    expect(result.refusals.map((r) => r.code)).toEqual(['not_in_default', 'not_overdue']);
    const settled = computeClaim(claim({}, { settlementDate: '2025-03-01', outstandingFen: 0n }));
    expect(settled.refusals.map((r) => r.code)).toEqual(['loan_settled', 'nothing_outstanding']);
  });

  it('a bank at exactly the suspension ratio may claim; one fen of non-performing principal above it may not', () => {
    const params = { ...flat, suspensionRatio: '0.3' };
    // 3,000,000 ÷ 10,000,000 = 0.3: not above 0.3.
    const at = computeClaim(claim({ version: version(params), bank: { coveredFen: y('10000000'), nonPerformingCoveredFen: y('3000000') } }));
    expect(at.refusals).toEqual([]);
    // 3,000,000.01 ÷ 10,000,000 = 0.300000001 > 0.3.
    const above = computeClaim(claim({ version: version(params), bank: { coveredFen: y('10000000'), nonPerformingCoveredFen: y('3000000.01') } }));
    expect(above.refusals.map((r) => r.code)).toEqual(['bank_suspended']);
    expect(above.trace.nonPerforming).toMatchObject({ ratio: '0.3000000010', suspended: true, suspensionRatio: '0.3' });
  });

  it('a bank with no covered principal has a ratio of 0', () => {
    expect(suspension({ ...flat, suspensionRatio: '0' }, { coveredFen: 0n, nonPerformingCoveredFen: 0n })).toMatchObject({ ratio: '0.0000000000', suspended: false });
  });
});

describe('a recovery', () => {
  it('of 200,000 proceeds at a flat 0.5 share returns 100,000 to the fund', () => {
    // share = fund part 400,000 ÷ covered loss 800,000 = 0.5; 200,000 × 0.5 = 100,000 ≤ 400,000 recoverable.
    expect(recoveryShare({ proceedsFen: y('200000'), fundPartFen: y('400000'), coveredLossFen: y('800000'), recoverableFen: y('400000') }))
      .toMatchObject({ fundShareFen: y('100000'), share: '0.5000000000', cutFen: 0n });
  });

  it('never returns more than the fund still has to recover on the loan', () => {
    // 200,000 × 0.5 = 100,000, but only 60,000 of what the fund paid is still unrecovered: 60,000 (cut 40,000).
    expect(recoveryShare({ proceedsFen: y('200000'), fundPartFen: y('400000'), coveredLossFen: y('800000'), recoverableFen: y('60000') }))
      .toMatchObject({ fundShareFen: y('60000'), cutFen: y('40000') });
  });

  it('under Jiangsu tiers uses the claim’s effective share: 1,000,000 × 15,500,000 ÷ 25,000,000 = 620,000', () => {
    expect(recoveryShare({ proceedsFen: y('1000000'), fundPartFen: y('15500000'), coveredLossFen: y('25000000'), recoverableFen: y('15500000') }).fundShareFen)
      .toBe(y('620000'));
  });
});

describe('parameters', () => {
  it('the version in force is the latest effective on or before the date', () => {
    const versions = [version(flat, '2024-01-01'), { ...version(jiangsu, '2025-01-01'), version: 2 }];
    expect(versionInForce(versions, '2023-12-31')).toBeUndefined();
    expect(versionInForce(versions, '2024-12-31')?.version).toBe(1);
    expect(versionInForce(versions, '2025-01-01')?.version).toBe(2);
  });

  it('Zhongshan’s shareOfLoss must be 0.54 = 54 ÷ 100; 0.5 contradicts the parties', () => {
    expect(fundParameterProblems(zhongshan)).toEqual([]);
    expect(fundParameterProblems({ ...zhongshan, shareOfLoss: '0.5' })).toEqual([
      { path: 'shareOfLoss', message: "must equal the fund's weight ÷ the total weight of lossParties: 0.54" },
    ]);
  });

  it('tiers must ascend, shares lie in [0, 1], parties name the fund once, and tiers and parties do not mix', () => {
    const problems = fundParameterProblems({
      ...flat,
      shareOfLoss: '1.5',
      shareTiers: [
        { upToFen: y('100'), share: '0.8' },
        { upToFen: y('100'), share: '1.1' },
      ],
      lossParties: [{ party: 'bank', weight: '1' }],
      bodies: [],
    });
    expect(problems.map((p) => p.path)).toEqual([
      'shareOfLoss',
      'bodies',
      'shareTiers.1.share',
      'shareTiers.1.upTo',
      'lossParties',
      'lossParties',
    ]);
  });

  it('the leverage limit is capital × leverage, rounded down to the fen', () => {
    expect(leverageLimitFen(y('3000000'), '10')).toBe(y('30000000'));
    expect(leverageLimitFen(1n, '2.5')).toBe(2n); // 2.5 fen → 2 fen
  });
});
