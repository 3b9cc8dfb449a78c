/**
 * Stage 10 — the funding split of every line among the bodies that pay it (袁府办字〔2023〕25号 四(三)2 "以上补贴资金由市
 * 财政和区财政各承担50%"; fee support by the district alone): exact, the parts add up to the line, the fen left over by
 * largest remainder, ties to the body listed first. A carried line keeps the split of the bodies that owe it.
 */
import type { FundingShare } from '../policy';
import type { LineWork } from './trace';
import { fen } from './trace';

export function splitLines(work: readonly LineWork[], traces = true): void {
  for (const item of work) {
    const line = item.line;
    line.amountFen = item.amountFen;
    if (line.kind === 'carried_forward') {
      // Already split by the bodies that owe the carried amount.
      line.trace.split = {
        rule: line.shares.map((share) => ({ body: share.body, share: `${share.amountFen}/${line.amountFen}` })),
        reference: item.splitReference,
        shares: line.shares.map((share) => ({ body: share.body, amountFen: fen(share.amountFen) })),
      };
      continue;
    }
    line.shares = item.splitter.apply(item.amountFen);
    item.notes.cite(item.splitReference);
    if (!traces) continue;
    line.trace.split = {
      rule: item.splitter.split as FundingShare[],
      reference: item.splitReference,
      shares: line.shares.map((share) => ({ body: share.body, amountFen: fen(share.amountFen) })),
    };
  }
}
