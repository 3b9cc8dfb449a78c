/**
 * Stage 9 — the contribution cap with carry-forward (《关于全面加强知识产权工作的实施意见》 § 22): the support paid to an
 * enterprise in year Y is at most its local contribution for Y (entered by staff); the excess is carried to Y+1 and
 * Y+2, each time within that year's headroom, and what is still unpaid after Y+2 lapses. Amounts carried in from
 * earlier runs are paid as lines of their own. No contribution entered → no cap, and the trace says so. An enterprise
 * that misses its own conditions (§§ 20, 23) gets nothing this year, carried amounts included: they wait for their next
 * year, if they have one.
 */
import { allocateFen, sumFen, type Fen } from '../../money';
import type { BodyAmount, LineTrace, RunCarry, RunCarryOut, RunContributionSummary, RunInput, RunResult, SupportLine, TraceInterpretation } from '../types';
import type { Splitter } from '../split';
import { invalid, requireFen, type RunContext } from './context';
import { checkEnterprise, type EnterpriseRecords } from './enterprise';
import { adjust, compareFen, compareStrings, fen, TraceNotes, yuan, type LineWork } from './trace';

export interface ContributionStage {
  carriedWork: LineWork[];
  carryOut: RunCarryOut[];
  lapsed: RunResult['lapsed'];
  contributions: RunContributionSummary[];
}

export function applyContributionCap(
  ctx: RunContext,
  input: Pick<RunInput, 'contributions' | 'carryIn'>,
  records: EnterpriseRecords,
  lineWork: readonly LineWork[],
): ContributionStage {
  const p = ctx.p;
  const year = ctx.year;
  const carryOut: RunCarryOut[] = [];
  const lapsed: RunResult['lapsed'] = [];
  const contributionSummaries: RunContributionSummary[] = [];
  const carriedWork: LineWork[] = [];
  const contributionCap = p.contributionCap.value;
  if (!contributionCap && input.carryIn.length > 0) {
    throw invalid('carryIn', `policy ${ctx.policy.id} has no contribution cap, so nothing can be carried into its runs`);
  }
  if (!contributionCap) return { carriedWork, carryOut, lapsed, contributions: contributionSummaries };
  const fundingSplitter = ctx.fundingSplitter as Splitter;
  const root = ctx.caches.notesRoot;

  const contributions = new Map<string, Fen>();
  input.contributions.forEach((contribution, position) => {
    const amount = requireFen(contribution.amountFen, `contributions.${position}.amountFen`);
    if (contribution.year !== year) return;
    if (contributions.has(contribution.uscc)) throw invalid(`contributions.${position}`, `a second contribution for ${contribution.uscc} in ${year}`);
    contributions.set(contribution.uscc, amount);
  });
  const carryByUscc = new Map<string, RunCarry[]>();
  input.carryIn.forEach((carry, position) => {
    requireFen(carry.amountFen, `carryIn.${position}.amountFen`);
    if (!Number.isInteger(carry.originYear) || carry.originYear >= year) throw invalid(`carryIn.${position}.originYear`, `must be a year before ${year}`);
    let list = carryByUscc.get(carry.uscc);
    if (!list) carryByUscc.set(carry.uscc, (list = []));
    list.push(carry);
  });
  const linesByUscc = new Map<string, LineWork[]>();
  for (const work of lineWork) {
    if (!work.line.eligible) continue;
    let list = linesByUscc.get(work.line.enterpriseUscc);
    if (!list) linesByUscc.set(work.line.enterpriseUscc, (list = []));
    list.push(work);
  }
  const usccs = [...new Set([...linesByUscc.keys(), ...carryByUscc.keys()])].sort(compareStrings);
  for (const uscc of usccs) {
    const lines = (linesByUscc.get(uscc) ?? []).filter((work) => work.amountFen > 0n);
    const carries = (carryByUscc.get(uscc) ?? []).sort((a, b) => a.originYear - b.originYear || compareFen(a.amountFen, b.amountFen));
    const contribution = contributions.get(uscc) ?? null;
    // §§ 20, 23: an enterprise that gets nothing this year is paid no carried amount either.
    const excluded = checkEnterprise(ctx, records, uscc).anyMissed;
    const currentDueFen = sumFen(lines.map((work) => work.amountFen));
    const summary: RunContributionSummary = {
      uscc,
      contributionFen: contribution,
      currentDueFen,
      currentPaidFen: currentDueFen,
      carriedInFen: sumFen(carries.map((carry) => carry.amountFen)),
      carriedInPaidFen: 0n,
      carryOutFen: 0n,
      lapsedFen: 0n,
    };
    contributionSummaries.push(summary);
    const lastYearOf = (originYear: number) => originYear + contributionCap.carryForwardYears;
    const keepOrLapse = (carry: RunCarry, unpaidFen: Fen, shares: BodyAmount[]) => {
      if (unpaidFen === 0n) return;
      if (lastYearOf(carry.originYear) > year) {
        carryOut.push({ uscc, originYear: carry.originYear, amountFen: unpaidFen, shares });
        summary.carryOutFen += unpaidFen;
      } else {
        lapsed.push({ uscc, originYear: carry.originYear, amountFen: unpaidFen });
        summary.lapsedFen += unpaidFen;
      }
    };
    const carryShares = (carry: RunCarry, amountFen: Fen): BodyAmount[] => {
      if (carry.shares && carry.shares.length > 0 && sumFen(carry.shares.map((share) => share.amountFen)) > 0n) {
        const parts = allocateFen(amountFen, carry.shares.map((share) => share.amountFen));
        return carry.shares.map((share, index) => ({ body: share.body, amountFen: parts[index]! }));
      }
      return fundingSplitter.apply(amountFen);
    };
    // Carried amounts past their last year lapse before anything is paid.
    const live = carries.filter((carry) => {
      if (lastYearOf(carry.originYear) >= year) return true;
      lapsed.push({ uscc, originYear: carry.originYear, amountFen: carry.amountFen });
      summary.lapsedFen += carry.amountFen;
      return false;
    });
    if (excluded) {
      // Nothing in this year; what was carried waits for its next year, if it has one.
      for (const carry of live) keepOrLapse(carry, carry.amountFen, carryShares(carry, carry.amountFen));
      continue;
    }
    const note = contribution === null ? 'contribution not entered: no contribution cap applied' : `local contribution for ${year}: ${yuan(contribution)}`;
    for (const work of lines) {
      work.notes.use('contributionCap', p.contributionCap);
      work.line.trace.contribution = { contributionFen: contribution === null ? null : fen(contribution), note, reference: p.contributionCap.reference };
    }
    let headroom = contribution;
    let currentPaidFen = currentDueFen;
    const payCurrent = () => {
      if (headroom === null) return;
      currentPaidFen = currentDueFen < headroom ? currentDueFen : headroom;
      headroom -= currentPaidFen;
    };
    const carriedPaid: Array<{ carry: RunCarry; paidFen: Fen }> = [];
    const payCarries = () => {
      for (const carry of live) {
        const paidFen = headroom === null ? carry.amountFen : carry.amountFen < headroom ? carry.amountFen : headroom;
        if (headroom !== null) headroom -= paidFen;
        carriedPaid.push({ carry, paidFen });
      }
    };
    if (contributionCap.order === 'current_year_first') {
      payCurrent();
      payCarries();
    } else {
      payCarries();
      payCurrent();
    }
    summary.currentPaidFen = currentPaidFen;
    const cutFen = currentDueFen - currentPaidFen;
    if (cutFen > 0n) {
      const before = lines.map((work) => work.amountFen);
      const cuts = allocateFen(cutFen, before);
      const excessByBody = new Map<string, Fen>();
      lines.forEach((work, index) => {
        const beforeShares = work.splitter.apply(work.amountFen);
        adjust(
          work,
          'contribution_cap',
          p.contributionCap.reference,
          work.amountFen - cuts[index]!,
          `the enterprise's support this year ${yuan(currentDueFen)} exceeds what its contribution ${yuan(contribution!)} leaves (${yuan(currentPaidFen)}); the excess ${yuan(cutFen)} is shared in proportion to the lines and carried to ${year + 1}–${year + contributionCap.carryForwardYears}; this line's part ${yuan(cuts[index]!)}`,
        );
        const afterShares = work.splitter.apply(work.amountFen);
        beforeShares.forEach((share, shareIndex) => {
          excessByBody.set(share.body, (excessByBody.get(share.body) ?? 0n) + share.amountFen - afterShares[shareIndex]!.amountFen);
        });
      });
      const shares = [...excessByBody.entries()].map(([body, amountFen]) => ({ body, amountFen }));
      keepOrLapse({ uscc, originYear: year, amountFen: cutFen }, cutFen, shares);
    }
    for (const { carry, paidFen } of carriedPaid) {
      summary.carriedInPaidFen += paidFen;
      const fullShares = carryShares(carry, carry.amountFen);
      const paidShares = carryShares(carry, paidFen);
      keepOrLapse(
        carry,
        carry.amountFen - paidFen,
        fullShares.map((share, index) => ({ body: share.body, amountFen: share.amountFen - paidShares[index]!.amountFen })),
      );
      if (paidFen === 0n) continue;
      const notes = new TraceNotes(root);
      notes.use('contributionCap', p.contributionCap);
      const trace: LineTrace = {
        policy: ctx.shared.policy,
        run: ctx.shared.run,
        clauses: root.clauses as string[],
        items: [{ kind: `carried from ${carry.originYear}`, amountFen: fen(carry.amountFen) }],
        itemsTotalFen: fen(carry.amountFen),
        formula: `carried ${fen(carry.amountFen)} fen from ${carry.originYear}; paid ${fen(paidFen)} fen within this year's headroom; ${fen(carry.amountFen - paidFen)} fen ${lastYearOf(carry.originYear) > year ? 'carried on' : 'lapses'}`,
        amountRoundedFen: fen(paidFen),
        adjustments: [],
        contribution: { contributionFen: contribution === null ? null : fen(contribution), note, reference: p.contributionCap.reference },
        interpretations: root.interpretations as TraceInterpretation[],
        reasons: [],
      };
      const line: SupportLine = {
        kind: 'carried_forward',
        lineId: `carried_forward:${uscc}:${carry.originYear}`,
        loanId: null,
        enterpriseUscc: uscc,
        originYear: carry.originYear,
        amountFen: paidFen,
        shares: paidShares,
        eligible: true,
        reasons: [],
        trace,
      };
      carriedWork.push({
        line,
        notes,
        amountFen: paidFen,
        beforeEnterpriseCapsFen: paidFen,
        approvedFen: paidFen,
        splitter: fundingSplitter,
        splitReference: p.contributionCap.reference,
      });
    }
  }
  // Carried lines of the same enterprise and origin year merge into one line id: keep them distinct by position.
  const seen = new Map<string, number>();
  for (const work of carriedWork) {
    const count = seen.get(work.line.lineId) ?? 0;
    seen.set(work.line.lineId, count + 1);
    if (count > 0) work.line.lineId = `${work.line.lineId}:${count + 1}`;
  }
  return { carriedWork, carryOut, lapsed, contributions: contributionSummaries };
}
