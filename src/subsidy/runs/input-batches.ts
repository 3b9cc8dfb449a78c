/**
 * The yearly runs' inputs in batches (a clerk's spreadsheet, src/imports): local contributions (《关于全面加强知识产权
 * 工作的实施意见》 § 22), patent-insurance premiums (§ 6), exclusions (§ 23), other programmes' support of a loan
 * (袁府办字〔2023〕25号 奖励认定1; § 21), evaluation, guarantee and insurance fees (袁府办字〔2023〕25号 四(三)2) and
 * reference-rate fixings. Each is all or nothing: every row is checked — on its own, against the other rows and
 * against what is stored — and any problem refuses the batch naming every bad row in English and Chinese; then one
 * statement writes them all. The rows are the single-record endpoints' bodies (inputs.ts, reference-data.ts), with the
 * enterprise or the loan named in the row.
 *
 * A row whose fields did not all parse arrives partial: its other fields are still checked, so that one answer names
 * every problem of the row.
 */
import type { Queryable } from '../../db/pool';
import { DomainError, type FieldProblem } from '../../errors';
import { validateUscc } from '../../loans/identifiers';
import { Dec, formatYuan, type Fen } from '../../money';
import type { FeeKind, RateIndex } from '../policy';
import type { FiscalLevel } from './inputs';

/** A row problem with its Chinese beside the English (src/imports names the column and the sheet row). */
interface RowProblem extends FieldProblem {
  messageZh: string;
}

export interface BatchRows<T> {
  /** Per row: the whole row when it parsed, else the fields that did. */
  rows: Array<{ value?: T; partial: Partial<T> }>;
  /** The problems found while parsing, with their rows (from 1). */
  parseProblems: FieldProblem[];
}

export interface BatchWriter {
  principalId: string;
  /** Today in China: payments are never dated after it. */
  today: string;
}

class Problems {
  readonly list: FieldProblem[] = [];
  private readonly rows = new Set<number>();
  constructor(parse: FieldProblem[]) {
    this.list.push(...parse);
    for (const problem of parse) if (problem.row !== undefined) this.rows.add(problem.row);
  }
  add(index: number, path: string, message: string, messageZh: string): void {
    this.list.push({ row: index + 1, path, message, messageZh } as RowProblem);
    this.rows.add(index + 1);
  }
  ok(index: number): boolean {
    return !this.rows.has(index + 1);
  }
  refuseIfAny(what: string): void {
    if (this.list.length === 0) return;
    const rows = new Set(this.list.map((problem) => problem.row)).size;
    const summary = this.list
      .slice(0, 5)
      .map((problem) => `${problem.row !== undefined ? `row ${problem.row}: ` : ''}${problem.path}: ${problem.message}`)
      .join('; ');
    throw new DomainError('validation_failed', `the ${what} has ${rows} bad row(s), nothing was written: ${summary}${this.list.length > 5 ? '; …' : ''}`, this.list);
  }
}

/** Every row is complete and checked: the values to write, in row order. */
function values<T>(batch: BatchRows<T>): T[] {
  return batch.rows.map((row, index) => {
    if (!row.value) throw new Error(`row ${index + 1} is incomplete but has no problem`);
    return row.value;
  });
}

const normaliseUscc = (text: string) => text.trim().toUpperCase();

// ---- enterprises ------------------------------------------------------------------------------------------------

interface EnterpriseNamed {
  enterpriseUscc: string;
  enterpriseName?: string | undefined;
}

/** Each row's enterprise is registered, and has the name the row gives (when it gives one). */
async function checkEnterprises(db: Queryable, rows: Array<Partial<EnterpriseNamed>>, problems: Problems): Promise<void> {
  const usccs = [...new Set(rows.flatMap((row) => (row.enterpriseUscc !== undefined ? [normaliseUscc(row.enterpriseUscc)] : [])))];
  const found = await db.query<{ uscc: string; name: string }>(`select uscc, name from enterprise_registration where uscc = any($1::text[])`, [usccs]);
  const names = new Map(found.rows.map((row) => [row.uscc, row.name]));
  rows.forEach((row, index) => {
    if (row.enterpriseUscc === undefined) return;
    const uscc = normaliseUscc(row.enterpriseUscc);
    const name = names.get(uscc);
    if (name === undefined) {
      const checked = validateUscc(uscc);
      if (checked.ok) {
        problems.add(index, 'enterpriseUscc', 'no enterprise with this USCC is registered: register it first', '尚未登记此统一社会信用代码的企业：请先在“企业”页登记');
      } else {
        problems.add(
          index,
          'enterpriseUscc',
          `not a valid USCC (${checked.rule}: ${checked.message}) and no enterprise has it`,
          `不是有效的统一社会信用代码（${checked.message}），也没有登记此代码的企业`,
        );
      }
      return;
    }
    if (row.enterpriseName !== undefined && row.enterpriseName.trim() !== name) {
      problems.add(
        index,
        'enterpriseName',
        `the enterprise registered under ${uscc} is "${name}"`,
        `与登记的企业名称不一致：${uscc} 登记为「${name}」（信用代码或名称填错了？）`,
      );
    }
  });
}

// ---- loans ------------------------------------------------------------------------------------------------------

interface LoanNamed {
  loanId?: string | undefined;
  bank?: string | undefined;
  contractNo?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The loan each row names — by its id, or by its bank (code or name) and contract number — or the problem that
 * prevents finding it. Banks are matched on their code regardless of case, then on their registered name.
 */
async function resolveLoans(db: Queryable, rows: Array<Partial<LoanNamed>>, problems: Problems): Promise<Array<string | undefined>> {
  const banks = await db.query<{ id: string; code: string; name: string }>(`select id, code, name from bank_directory`);
  const bankOf = (text: string) => {
    const key = text.trim();
    return banks.rows.find((bank) => bank.code.toLowerCase() === key.toLowerCase()) ?? banks.rows.find((bank) => bank.name === key);
  };
  const ids = [...new Set(rows.flatMap((row) => (row.loanId && UUID.test(row.loanId.trim()) ? [row.loanId.trim().toLowerCase()] : [])))];
  const pairs = rows.flatMap((row) => {
    const bank = row.bank ? bankOf(row.bank) : undefined;
    return bank && row.contractNo ? [{ bankId: bank.id, contractNo: row.contractNo.trim() }] : [];
  });
  const found = await db.query<{ id: string; bank_id: string; contract_no: string }>(
    `select id, bank_id, contract_no from loan_facts
      where id = any($1::uuid[])
         or (bank_id, contract_no) in (select * from unnest($2::uuid[], $3::text[]))`,
    [ids, pairs.map((pair) => pair.bankId), pairs.map((pair) => pair.contractNo)],
  );
  const byId = new Map(found.rows.map((row) => [row.id, row]));
  const byContract = new Map(found.rows.map((row) => [`${row.bank_id}|${row.contract_no}`, row]));
  return rows.map((row, index) => {
    let viaId: string | undefined;
    if (row.loanId !== undefined && row.loanId.trim() !== '') {
      const id = row.loanId.trim().toLowerCase();
      if (!UUID.test(id) || !byId.has(id)) {
        problems.add(index, 'loanId', `no loan ${row.loanId}`, '找不到这个贷款编号的贷款');
        return undefined;
      }
      viaId = id;
    }
    if (row.bank === undefined && row.contractNo === undefined) {
      if (!viaId) problems.add(index, 'contractNo', 'name the loan: its bank and contract number, or its loanId', '请填写贷款银行和合同编号（或贷款编号）');
      return viaId;
    }
    if (row.bank === undefined || row.contractNo === undefined) {
      const missing = row.bank === undefined ? 'bank' : 'contractNo';
      problems.add(index, missing, `${missing} is needed with ${missing === 'bank' ? 'contractNo' : 'bank'}`, missing === 'bank' ? '填了合同编号，还须填贷款银行' : '填了贷款银行，还须填合同编号');
      return undefined;
    }
    const bank = bankOf(row.bank);
    if (!bank) {
      problems.add(index, 'bank', `no partner bank with the code or name "${row.bank}"`, `没有代码或名称为「${row.bank}」的合作银行`);
      return undefined;
    }
    const loan = byContract.get(`${bank.id}|${row.contractNo.trim()}`);
    if (!loan) {
      problems.add(index, 'contractNo', `${bank.code} has no loan with contract number ${row.contractNo}`, `${bank.name}没有合同编号为 ${row.contractNo} 的贷款`);
      return undefined;
    }
    if (viaId && viaId !== loan.id) {
      problems.add(index, 'loanId', `names another loan than ${bank.code} ${row.contractNo}`, `贷款编号与银行、合同编号指向的不是同一笔贷款`);
      return undefined;
    }
    return loan.id;
  });
}

/** Rows that say the same thing twice: the later one names the first (a copy-paste, or a file imported twice). */
function checkRepeats<T>(rows: Array<{ value?: T }>, key: (value: T) => string | undefined, problems: Problems, path: string): void {
  const first = new Map<string, number>();
  rows.forEach((row, index) => {
    if (!row.value) return;
    const k = key(row.value);
    if (k === undefined) return;
    const earlier = first.get(k);
    if (earlier !== undefined) problems.add(index, path, `repeats row ${earlier + 1}`, `与第 ${earlier + 1} 行重复`);
    else first.set(k, index);
  });
}

function checkNotFuture(rows: Array<{ partial: Partial<{ paidOn: string }> }>, today: string, problems: Problems): void {
  rows.forEach((row, index) => {
    if (row.partial.paidOn !== undefined && row.partial.paidOn > today) {
      problems.add(index, 'paidOn', `must not be in the future (today in China is ${today})`, `不能晚于今天（${today}）`);
    }
  });
}

// ---- contributions (§ 22) ----------------------------------------------------------------------------------------

export interface ContributionRow extends EnterpriseNamed {
  year: number;
  amount: Fen;
}

export async function addContributionBatch(db: Queryable, batch: BatchRows<ContributionRow>, writer: BatchWriter): Promise<string[]> {
  const problems = new Problems(batch.parseProblems);
  await checkEnterprises(db, batch.rows.map((row) => row.partial), problems);
  checkRepeats(batch.rows, (row) => `${normaliseUscc(row.enterpriseUscc)}|${row.year}`, problems, 'year');
  problems.refuseIfAny('batch of contributions');
  const rows = values(batch);
  const inserted = await db.query<{ id: string }>(
    `insert into subsidy_contribution (enterprise_uscc, year, amount_fen, recorded_by)
     select u.uscc, u.year, u.amount_fen, $4 from unnest($1::text[], $2::int[], $3::bigint[]) with ordinality as u(uscc, year, amount_fen, ord)
      order by u.ord returning id`,
    [rows.map((row) => normaliseUscc(row.enterpriseUscc)), rows.map((row) => row.year), rows.map((row) => row.amount.toString()), writer.principalId],
  );
  return inserted.rows.map((row) => row.id);
}

// ---- premiums (§ 6) ------------------------------------------------------------------------------------------------

export interface PremiumRow extends EnterpriseNamed {
  amount: Fen;
  paidOn: string;
}

export async function addPremiumBatch(db: Queryable, batch: BatchRows<PremiumRow>, writer: BatchWriter): Promise<string[]> {
  const problems = new Problems(batch.parseProblems);
  await checkEnterprises(db, batch.rows.map((row) => row.partial), problems);
  checkNotFuture(batch.rows, writer.today, problems);
  const key = (row: PremiumRow) => `${normaliseUscc(row.enterpriseUscc)}|${row.paidOn}|${row.amount}`;
  checkRepeats(batch.rows, key, problems, 'amount');
  const stored = await db.query<{ key: string }>(
    `select enterprise_uscc || '|' || paid_on || '|' || amount_fen as key from subsidy_premium where enterprise_uscc = any($1::text[])`,
    [[...new Set(batch.rows.flatMap((row) => (row.value ? [normaliseUscc(row.value.enterpriseUscc)] : [])))]],
  );
  const recorded = new Set(stored.rows.map((row) => row.key));
  batch.rows.forEach((row, index) => {
    if (row.value && problems.ok(index) && recorded.has(key(row.value))) {
      problems.add(index, 'amount', `a premium of ${formatYuan(row.value.amount)} paid on ${row.value.paidOn} is already recorded for this enterprise`, `该企业 ${row.value.paidOn} 缴纳的 ${formatYuan(row.value.amount)} 元保费已登记过`);
    }
  });
  problems.refuseIfAny('batch of premiums');
  const rows = values(batch);
  const inserted = await db.query<{ id: string }>(
    `insert into subsidy_premium (enterprise_uscc, amount_fen, paid_on, recorded_by)
     select u.uscc, u.amount_fen, u.paid_on, $4 from unnest($1::text[], $2::bigint[], $3::date[]) with ordinality as u(uscc, amount_fen, paid_on, ord)
      order by u.ord returning id`,
    [rows.map((row) => normaliseUscc(row.enterpriseUscc)), rows.map((row) => row.amount.toString()), rows.map((row) => row.paidOn), writer.principalId],
  );
  return inserted.rows.map((row) => row.id);
}

// ---- exclusions (§ 23) ---------------------------------------------------------------------------------------------

export interface ExclusionRow extends EnterpriseNamed {
  year: number;
  reason: string;
}

export async function addExclusionBatch(db: Queryable, batch: BatchRows<ExclusionRow>, writer: BatchWriter): Promise<string[]> {
  const problems = new Problems(batch.parseProblems);
  await checkEnterprises(db, batch.rows.map((row) => row.partial), problems);
  const key = (row: ExclusionRow) => `${normaliseUscc(row.enterpriseUscc)}|${row.year}`;
  checkRepeats(batch.rows, key, problems, 'year');
  const stored = await db.query<{ key: string }>(
    `select enterprise_uscc || '|' || year as key from subsidy_exclusion where enterprise_uscc = any($1::text[]) and withdrawn_at is null`,
    [[...new Set(batch.rows.flatMap((row) => (row.value ? [normaliseUscc(row.value.enterpriseUscc)] : [])))]],
  );
  const recorded = new Set(stored.rows.map((row) => row.key));
  batch.rows.forEach((row, index) => {
    if (row.value && problems.ok(index) && recorded.has(key(row.value))) {
      problems.add(index, 'year', `the enterprise is already excluded for ${row.value.year}`, `该企业 ${row.value.year} 年度已列为不予补助`);
    }
  });
  problems.refuseIfAny('batch of exclusions');
  const rows = values(batch);
  const inserted = await db.query<{ id: string }>(
    `insert into subsidy_exclusion (enterprise_uscc, year, reason, set_by)
     select u.uscc, u.year, u.reason, $4 from unnest($1::text[], $2::int[], $3::text[]) with ordinality as u(uscc, year, reason, ord)
      order by u.ord returning id`,
    [rows.map((row) => normaliseUscc(row.enterpriseUscc)), rows.map((row) => row.year), rows.map((row) => row.reason.trim()), writer.principalId],
  );
  return inserted.rows.map((row) => row.id);
}

// ---- other support (袁府办字〔2023〕25号 奖励认定1; § 21) --------------------------------------------------------------

export interface OtherSupportRow extends LoanNamed {
  programme: string;
  fiscalLevel: FiscalLevel;
  amount: Fen;
  year?: number | undefined;
}

export async function addOtherSupportBatch(db: Queryable, batch: BatchRows<OtherSupportRow>, writer: BatchWriter): Promise<string[]> {
  const problems = new Problems(batch.parseProblems);
  const loanIds = await resolveLoans(db, batch.rows.map((row) => row.partial), problems);
  const key = (row: OtherSupportRow, index: number) => `${loanIds[index]}|${row.programme.trim()}|${row.fiscalLevel}|${row.amount}|${row.year ?? ''}`;
  const keyed = batch.rows.map((row, index) => ({ value: row.value ? key(row.value, index) : undefined }));
  checkRepeats(keyed, (value) => value, problems, 'amount');
  const stored = await db.query<{ key: string }>(
    `select loan_id || '|' || programme || '|' || fiscal_level || '|' || amount_fen || '|' || coalesce(year::text, '') as key
       from subsidy_other_support where loan_id = any($1::uuid[])`,
    [[...new Set(loanIds.filter((id): id is string => id !== undefined))]],
  );
  const recorded = new Set(stored.rows.map((row) => row.key));
  batch.rows.forEach((row, index) => {
    if (row.value && problems.ok(index) && recorded.has(key(row.value, index))) {
      problems.add(index, 'amount', 'the same support is already recorded for this loan', '这笔贷款已登记过同一项支持（项目、级次、金额、年度相同）');
    }
  });
  problems.refuseIfAny('batch of other support');
  const rows = values(batch);
  const inserted = await db.query<{ id: string }>(
    `insert into subsidy_other_support (loan_id, programme, fiscal_level, amount_fen, year, recorded_by)
     select u.loan_id, u.programme, u.fiscal_level, u.amount_fen, u.year, $6
       from unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::int[]) with ordinality as u(loan_id, programme, fiscal_level, amount_fen, year, ord)
      order by u.ord returning id`,
    [
      loanIds,
      rows.map((row) => row.programme.trim()),
      rows.map((row) => row.fiscalLevel),
      rows.map((row) => row.amount.toString()),
      rows.map((row) => row.year ?? null),
      writer.principalId,
    ],
  );
  return inserted.rows.map((row) => row.id);
}

// ---- fees (袁府办字〔2023〕25号 四(三)2) ---------------------------------------------------------------------------------

export interface FeeRow extends LoanNamed {
  kind: FeeKind;
  amount: Fen;
  paidOn: string;
}

export async function addFeeBatch(db: Queryable, batch: BatchRows<FeeRow>, writer: BatchWriter): Promise<string[]> {
  const problems = new Problems(batch.parseProblems);
  const loanIds = await resolveLoans(db, batch.rows.map((row) => row.partial), problems);
  checkNotFuture(batch.rows, writer.today, problems);
  const key = (row: FeeRow, index: number) => `${loanIds[index]}|${row.kind}|${row.amount}|${row.paidOn}`;
  const keyed = batch.rows.map((row, index) => ({ value: row.value ? key(row.value, index) : undefined }));
  checkRepeats(keyed, (value) => value, problems, 'amount');
  const stored = await db.query<{ key: string }>(
    `select loan_id || '|' || kind || '|' || amount_fen || '|' || paid_on as key from loan_fee where loan_id = any($1::uuid[])`,
    [[...new Set(loanIds.filter((id): id is string => id !== undefined))]],
  );
  const recorded = new Set(stored.rows.map((row) => row.key));
  batch.rows.forEach((row, index) => {
    if (row.value && problems.ok(index) && recorded.has(key(row.value, index))) {
      problems.add(index, 'amount', 'the same fee is already recorded for this loan', `这笔贷款已登记过 ${row.value.paidOn} 支付的同一笔费用`);
    }
  });
  problems.refuseIfAny('batch of fees');
  const rows = values(batch);
  const inserted = await db.query<{ id: string }>(
    `insert into loan_fee (loan_id, kind, amount_fen, paid_on, recorded_by)
     select u.loan_id, u.kind, u.amount_fen, u.paid_on, $5
       from unnest($1::uuid[], $2::text[], $3::bigint[], $4::date[]) with ordinality as u(loan_id, kind, amount_fen, paid_on, ord)
      order by u.ord returning id`,
    [loanIds, rows.map((row) => row.kind), rows.map((row) => row.amount.toString()), rows.map((row) => row.paidOn), writer.principalId],
  );
  return inserted.rows.map((row) => row.id);
}

// ---- reference rates -------------------------------------------------------------------------------------------

export interface RateRow {
  index: RateIndex;
  effectiveDate: string;
  rate: string;
  source?: string | undefined;
}

/** The default source of an imported fixing, when the row names none. */
export const IMPORTED_RATE_SOURCE = '导入';

/**
 * Fixings are never edited: a row repeating a stored fixing (same index, date and rate) is left as it is, so a full
 * history can be imported again; a different rate for a stored date is refused.
 */
export async function addRateBatch(db: Queryable, batch: BatchRows<RateRow>, writer: BatchWriter): Promise<{ ids: string[]; unchanged: number }> {
  const problems = new Problems(batch.parseProblems);
  checkRepeats(batch.rows, (row) => `${row.index}|${row.effectiveDate}`, problems, 'effectiveDate');
  const stored = await db.query<{ key: string; rate: string }>(
    `select rate_index || '|' || effective_date as key, rate::text as rate from reference_rate
      where (rate_index, effective_date) in (select * from unnest($1::text[], $2::date[]))`,
    [batch.rows.map((row) => row.value?.index ?? null), batch.rows.map((row) => row.value?.effectiveDate ?? null)],
  );
  const recorded = new Map(stored.rows.map((row) => [row.key, row.rate]));
  const unchanged = new Set<number>();
  batch.rows.forEach((row, index) => {
    if (!row.value || !problems.ok(index)) return;
    const existing = recorded.get(`${row.value.index}|${row.value.effectiveDate}`);
    if (existing === undefined) return;
    if (new Dec(existing).eq(new Dec(row.value.rate))) {
      unchanged.add(index);
    } else {
      problems.add(
        index,
        'rate',
        `${row.value.index} already has the fixing ${existing} effective ${row.value.effectiveDate}; fixings are never edited`,
        `${row.value.effectiveDate} 起的这一利率已登记为 ${existing}，利率一经登记不再修改`,
      );
    }
  });
  problems.refuseIfAny('batch of rates');
  const rows = values(batch).filter((_row, index) => !unchanged.has(index));
  const inserted = await db.query<{ key: string }>(
    `insert into reference_rate (rate_index, effective_date, rate, source, recorded_by)
     select u.rate_index, u.effective_date, u.rate, u.source, $5
       from unnest($1::text[], $2::date[], $3::numeric[], $4::text[]) with ordinality as u(rate_index, effective_date, rate, source, ord)
      order by u.ord returning rate_index || ':' || effective_date as key`,
    [
      rows.map((row) => row.index),
      rows.map((row) => row.effectiveDate),
      rows.map((row) => row.rate),
      rows.map((row) => row.source?.trim() || IMPORTED_RATE_SOURCE),
      writer.principalId,
    ],
  );
  return { ids: inserted.rows.map((row) => row.key), unchanged: unchanged.size };
}
