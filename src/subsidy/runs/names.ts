/**
 * What a clerk reads instead of identifiers on a run: its title — the policy's short title, the year and the policy's
 * version ("袁州区专利权质押贷款贴息 2024 年度 第 1 版") — and the names of who created, reviewed, publicised and
 * approved it. Two policies never share a title: when two short titles coincide, both runs carry their policy's full
 * title, and then its document number.
 */
import type { Queryable } from '../../db/pool';

export interface PolicyTitle {
  id: string;
  title: string;
  documentNo: string;
}

/**
 * "袁州区加强专利建设促进知识产权高质量发展实施方案：专利权质押贷款贴息" → "袁州区专利权质押贷款贴息": the place the
 * document's title opens with (up to its first 市, 区 or 县) and the measure after the colon. A title without both
 * parts is kept whole.
 */
export function shortPolicyTitle(title: string): string {
  const colon = title.search(/[：:]/);
  if (colon < 0) return title;
  const head = title.slice(0, colon);
  const measure = title.slice(colon + 1).trim();
  const place = /^.{1,12}?[省市区县旗]/u.exec(head)?.[0];
  return place && measure ? `${place}${measure}` : title;
}

/** Each policy's display title, distinct across `policies` (one entry per policy id). */
export function distinctPolicyTitles(policies: readonly PolicyTitle[]): Map<string, string> {
  const byShort = new Map<string, PolicyTitle[]>();
  for (const policy of policies) {
    const short = shortPolicyTitle(policy.title);
    byShort.set(short, [...(byShort.get(short) ?? []), policy]);
  }
  const titles = new Map<string, string>();
  for (const [short, group] of byShort) {
    if (group.length === 1) {
      titles.set(group[0]!.id, short);
      continue;
    }
    const fullTitles = new Set(group.map((policy) => policy.title));
    for (const policy of group) titles.set(policy.id, fullTitles.size === group.length ? policy.title : `${policy.title}（${policy.documentNo}）`);
  }
  return titles;
}

/** "袁州区专利权质押贷款贴息 2024 年度 第 1 版", with "（调整）" for an adjustment run. */
export function runTitle(policyTitle: string, year: number, policyVersion: number, kind: 'regular' | 'adjustment'): string {
  return `${policyTitle} ${year} 年度 第 ${policyVersion} 版${kind === 'adjustment' ? '（调整）' : ''}`;
}

export interface RunNameFields {
  policyId: string;
  policyVersion: number;
  year: number;
  kind: 'regular' | 'adjustment';
  createdBy: string | null;
  reviewedBy: string | null;
  publicisedBy: string | null;
  approvedBy: string | null;
}

export interface RunNames {
  title: string;
  createdByName: string | null;
  reviewedByName: string | null;
  publicisedByName: string | null;
  approvedByName: string | null;
}

/**
 * Titles that tell runs apart where several are listed together (the reconciliation of a year, its exports): a title
 * two runs share (two adjustments of one policy version and year) gets the run's short id as a hint, "（批次 1a2b3c4d）".
 */
export function distinctRunTitles(runs: ReadonlyArray<{ id: string; title: string }>): string[] {
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.title, (counts.get(run.title) ?? 0) + 1);
  return runs.map((run) => ((counts.get(run.title) ?? 0) > 1 ? `${run.title}（批次 ${run.id.slice(0, 8)}）` : run.title));
}

/** Every policy's display title (its latest version's), in one read. */
async function policyTitles(db: Queryable): Promise<Map<string, string>> {
  const policies = await db.query<PolicyTitle>(
    `select distinct on (id) id, document ->> 'title' as title, coalesce(document ->> 'documentNo', '') as "documentNo"
       from subsidy_policy order by id, version desc`,
  );
  return distinctPolicyTitles(policies.rows);
}

/** The title of each run ("袁州区专利权质押贷款贴息 2024 年度 第 2 版"), in one read. */
export async function titlesOfRuns(db: Queryable, runs: ReadonlyArray<Pick<RunNameFields, 'policyId' | 'policyVersion' | 'year' | 'kind'>>): Promise<string[]> {
  const titles = await policyTitles(db);
  return runs.map((run) => runTitle(titles.get(run.policyId) ?? run.policyId, run.year, run.policyVersion, run.kind));
}

/** The title and the people's names of each run, in two reads (every policy's latest title; the principals named). */
export async function namesOfRuns<T extends RunNameFields>(db: Queryable, runs: readonly T[]): Promise<RunNames[]> {
  const titles = await policyTitles(db);
  const ids = [...new Set(runs.flatMap((run) => [run.createdBy, run.reviewedBy, run.publicisedBy, run.approvedBy]).filter((id): id is string => id !== null))];
  const people = new Map<string, string>();
  if (ids.length > 0) {
    const rows = await db.query<{ id: string; name: string }>(`select id::text, name from principal_directory where id = any($1::uuid[])`, [ids]);
    for (const row of rows.rows) people.set(row.id, row.name);
  }
  const nameOf = (id: string | null) => (id === null ? null : (people.get(id) ?? null));
  return runs.map((run) => ({
    title: runTitle(titles.get(run.policyId) ?? run.policyId, run.year, run.policyVersion, run.kind),
    createdByName: nameOf(run.createdBy),
    reviewedByName: nameOf(run.reviewedBy),
    publicisedByName: nameOf(run.publicisedBy),
    approvedByName: nameOf(run.approvedBy),
  }));
}
