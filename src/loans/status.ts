/**
 * A loan's status, derived from its events up to a date (issue 3 § 3), in this order of precedence:
 *
 * - `settled`: it has a settlement event (which needs the outstanding principal at zero);
 * - `defaulted`: it has a default event;
 * - `overdue`: it has an overdue event and no payment (interest or principal) dated after the latest one. A payment
 *   dated after the latest overdue event cures it; a payment on the same day does not, because the bank reported the
 *   loan overdue on that day. Kept this simple on purpose: the events do not say what was due, so a partial payment
 *   cannot be told from a full one. A bank that finds the loan overdue again posts another overdue event;
 * - `active` otherwise.
 *
 * One definition, in SQL, used by every read (a loan, the list and its status filter) so that they cannot disagree.
 * It reads the columns of the event summary `ev` (EVENT_SUMMARY_SQL below, joined laterally to a loan `l`).
 */
export const STATUS_SQL = `(case
  when ev.settlement_date is not null then 'settled'
  when ev.defaulted then 'defaulted'
  when ev.last_overdue is not null and (ev.last_payment is null or ev.last_payment <= ev.last_overdue) then 'overdue'
  else 'active' end)`;

/** What happened to loan `l` up to the date in the SQL expression `asOf` (a null date: everything). */
export const EVENT_SUMMARY_SQL = (asOf: string) => `
  select max(e.effective_date) filter (where e.type = 'settlement') as settlement_date,
         coalesce(bool_or(e.type = 'default'), false) as defaulted,
         max(e.effective_date) filter (where e.type = 'overdue') as last_overdue,
         max(e.effective_date) filter (where e.type in ('interest_payment', 'principal_repayment')) as last_payment
    from loan_event e
   where e.loan_id = l.id and (${asOf}::date is null or e.effective_date <= ${asOf}::date)`;
