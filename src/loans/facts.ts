/**
 * The loans' facts as other modules read them: the view `loan_facts` (Migration20261203000702LoansViews), one row per
 * loan with its terms, its enterprise's division, the day it was settled, and its events and pledges aggregated into
 * one text and one array, decoded here. Another module selects `LOAN_FACTS_COLUMNS` from `loan_facts l` with its own
 * predicate and hands the rows to `LoanFactsDecoder`; it never names the loans' tables.
 *
 * Size: a yearly subsidy run reads 100,000 loans with 1,000,000 events this way. Read as one row each, the driver
 * would build a row array, five field strings and a bigint per event, a million short-lived objects; aggregated, the
 * events of a loan are one text decoded with charCodeAt (no split, no regex), day numbers turned into date strings
 * through a per-read cache, and repeated strings (bank, enterprise, collateral, rate, dates) shared.
 */
import { fromEpochDay } from '../dates';
import type { Fen } from '../money';
import type { RightType } from './types';

export type LoanFactEventType = 'disbursement' | 'principal_repayment' | 'overdue' | 'default' | 'settlement';

export interface LoanFactEvent {
  type: LoanFactEventType;
  date: string;
  amountFen?: Fen;
  daysOverdue?: number;
}

export interface LoanFactPledge {
  rightType: RightType;
  number: string;
  securedFen: Fen | null;
}

export interface LoanFact {
  loanId: string;
  bankId: string;
  enterpriseUscc: string;
  contractNo: string;
  principalFen: Fen;
  /** Null for a combination loan whose contract does not state its IP part. */
  ipPledgedFen: Fen | null;
  collateral: 'ip_only' | 'combination';
  annualRate: string;
  startDate: string;
  maturityDate: string;
  pledges: LoanFactPledge[];
  /** Every event but interest payments, in no particular order. */
  events: LoanFactEvent[];
}

/** The columns to select from `loan_facts l`, in the order `LoanFactsDecoder.decode` reads them (array row mode). */
export const LOAN_FACTS_COLUMNS = `l.id::text, l.bank_id::text, l.enterprise_uscc, l.contract_no, l.principal_fen, l.ip_pledged_fen,
  l.collateral, l.annual_rate::text, l.start_date, l.maturity_date, l.events, l.pledges`;

/**
 * The statement of a bulk read: the loans of `loan_facts l` that `predicate` (SQL over `l`, with the caller's
 * parameters) selects, in id order, as rows of `LOAN_FACTS_COLUMNS`. Their events and pledges are aggregated from
 * `loan_fact_event` and `loan_fact_pledge` (Migration20261203001500LoanFactItems) in one pass over each, joined to the
 * selection: for 100,000 loans half the server's time of the per-loan subqueries of `loan_facts`. For a few loans
 * (one enterprise's), selecting `LOAN_FACTS_COLUMNS` from `loan_facts` is the cheaper read.
 */
export function loanFactsSelectedSql(predicate: string, range: LoanIdRange = {}): string {
  const within = (column: string) =>
    `${range.after ? ` and ${column} > ${range.after}` : ''}${range.upTo ? ` and ${column} <= ${range.upTo}` : ''}`;
  return `with selected as materialized (
      select l.id, l.bank_id, l.enterprise_uscc, l.contract_no, l.principal_fen, l.ip_pledged_fen, l.collateral, l.annual_rate,
             l.start_date, l.maturity_date
        from loan_facts l where ${predicate}${within('l.id')})
    select s.id::text, s.bank_id::text, s.enterprise_uscc, s.contract_no, s.principal_fen, s.ip_pledged_fen, s.collateral,
           s.annual_rate::text, s.start_date, s.maturity_date, ev.events, pl.pledges
      from selected s
      left join (select e.loan_id, string_agg(e.item, ',') as events from loan_fact_event e
                  where e.loan_id in (select id from selected)${within('e.loan_id')} group by e.loan_id) ev on ev.loan_id = s.id
      left join (select p.loan_id, array_agg(p.item order by p.line_no) as pledges from loan_fact_pledge p
                  where p.loan_id in (select id from selected)${within('p.loan_id')} group by p.loan_id) pl on pl.loan_id = s.id
     order by s.id`;
}

/**
 * A range of loan ids for `loanFactsSelectedSql`, as SQL expressions of type uuid (parameters of the caller's
 * statement): after `after` (exclusive), up to `upTo` (inclusive); a missing bound is open. The range is stated on the
 * events and pledges too, so that a statement reading a part of the loans reads their events and pledges by index.
 */
export interface LoanIdRange {
  after?: string | undefined;
  upTo?: string | undefined;
}

export type LoanFactsRow = [string, string, string, string, bigint, bigint | null, string, string, string, string, string | null, string[] | null];

const EVENT_TYPE_BY_CODE = new Map<number, LoanFactEventType>(
  (
    [
      ['D', 'disbursement'],
      ['P', 'principal_repayment'],
      ['O', 'overdue'],
      ['F', 'default'],
      ['S', 'settlement'],
    ] as const
  ).map(([code, type]) => [code.charCodeAt(0), type]),
);

const ZERO = '0'.charCodeAt(0);
const NINE = '9'.charCodeAt(0);
const COLON = ':'.charCodeAt(0);
const COMMA = ','.charCodeAt(0);
const MINUS = '-'.charCodeAt(0);
/** Digits a double holds exactly (2^53 has 16): a longer amount goes through a string. */
const EXACT_DIGITS = 15;

/** Decodes rows of `LOAN_FACTS_COLUMNS`; repeated strings (dates, banks, enterprises, rates) are shared. */
export class LoanFactsDecoder {
  private readonly days = new Map<number, string>();
  private readonly strings = new Map<string, string>();
  eventCount = 0;
  pledgeCount = 0;

  shared(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  decode(row: LoanFactsRow): LoanFact {
    const [loanId, bankId, enterpriseUscc, contractNo, principalFen, ipPledgedFen, collateral, annualRate, startDate, maturityDate, events, pledges] = row;
    return {
      loanId,
      bankId: this.shared(bankId),
      enterpriseUscc: this.shared(enterpriseUscc),
      contractNo,
      principalFen,
      ipPledgedFen,
      collateral: this.shared(collateral) as LoanFact['collateral'],
      annualRate: this.shared(annualRate),
      startDate: this.shared(startDate),
      maturityDate: this.shared(maturityDate),
      pledges: this.decodePledges(pledges),
      events: this.decodeEvents(events, loanId),
    };
  }

  private dayText(day: number): string {
    let text = this.days.get(day);
    if (text === undefined) {
      text = fromEpochDay(day);
      this.days.set(day, text);
    }
    return text;
  }

  decodeEvents(text: string | null, loanId: string): LoanFactEvent[] {
    const events: LoanFactEvent[] = [];
    if (text === null) return events;
    const length = text.length;
    let position = 0;
    while (position < length) {
      const type = EVENT_TYPE_BY_CODE.get(text.charCodeAt(position));
      if (type === undefined) throw new Error(`loan ${loanId}: loan event of unknown type in "${text}"`);
      position += 1;
      let sign = 1;
      if (text.charCodeAt(position) === MINUS) {
        sign = -1;
        position += 1;
      }
      let day = 0;
      let code = text.charCodeAt(position);
      while (code >= ZERO && code <= NINE) {
        day = day * 10 + (code - ZERO);
        position += 1;
        code = text.charCodeAt(position);
      }
      const event: LoanFactEvent = { type, date: this.dayText(sign * day) };
      if (code === COLON) {
        position += 1;
        const from = position;
        let value = 0;
        code = text.charCodeAt(position);
        while (code >= ZERO && code <= NINE) {
          value = value * 10 + (code - ZERO);
          position += 1;
          code = text.charCodeAt(position);
        }
        if (type === 'overdue') event.daysOverdue = value;
        else event.amountFen = position - from <= EXACT_DIGITS ? BigInt(value) : BigInt(text.substring(from, position));
      }
      if (position < length && code !== COMMA) throw new Error(`loan ${loanId}: malformed events "${text}"`);
      position += 1;
      events.push(event);
    }
    this.eventCount += events.length;
    return events;
  }

  decodePledges(items: string[] | null): LoanFactPledge[] {
    if (items === null) return [];
    this.pledgeCount += items.length;
    return items.map((item) => {
      const colon = item.indexOf(':');
      const second = item.indexOf(':', colon + 1);
      const secured = item.substring(colon + 1, second);
      return {
        rightType: this.shared(item.substring(0, colon)) as RightType,
        number: item.substring(second + 1),
        securedFen: secured === '' ? null : BigInt(secured),
      };
    });
  }
}
