/**
 * A loan's status derived from its events up to a date: `settled`, `defaulted`, `overdue` or
 * `active`, by the rule of the SQL function `loan_event_summary` (Migration20261203000703LoanEventSummary, where the
 * rule is written out), the one definition every read uses — a loan, the list and its status filter, the fund's
 * portfolios — so that they cannot disagree.
 *
 * `EVENT_SUMMARY_SQL(asOf)` is the summary of loan `l` as a subquery to join laterally as `ev`; `STATUS_SQL` reads
 * its status. `asOf` is an SQL expression of a date (`'$3'`), or `'null'` for every event.
 */
export const STATUS_SQL = `ev.status`;

/** What happened to loan `l` up to the date in the SQL expression `asOf` (a null date: everything). */
export const EVENT_SUMMARY_SQL = (asOf: string) => `select * from loan_event_summary(l.id, ${asOf}::date)`;
