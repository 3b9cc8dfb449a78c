import { Migration } from '@mikro-orm/migrations';

/**
 * A run's lines stored faster with the same guarantees (README "Benchmark", the yearly draft): the two foreign keys
 * of `subsidy_run_line` (its run, its loan) checked once per statement over all the lines it wrote, instead of one
 * lookup per line and key — a draft of 100,000 loans writes 100,000 lines in one COPY, and the per-row checks were
 * 200,000 queries of their own. As the ledger does for its lines (migrations/…Ledger.ts).
 *
 * - Inserted or updated lines name an existing run and, when they name one, an existing loan (SQLSTATE 23503, as the
 *   foreign keys answered).
 * - A run that still has lines cannot be deleted (23503 as well); only a draft may be deleted at all
 *   (`subsidy_run_guard`), and loans are never deleted (`loan_immutable`).
 */
export class Migration20261203001203RunLinesChecked extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table subsidy_run_line
        drop constraint subsidy_run_line_run_id_fkey,
        drop constraint subsidy_run_line_loan_id_fkey;

      create function subsidy_run_lines_refer() returns trigger language plpgsql as $$
      declare
        offending record;
      begin
        select c.run_id, c.loan_id, r.id as found_run into offending
          from (select distinct run_id, null::uuid as loan_id from new_lines
                union all
                select null::uuid, n.loan_id from new_lines n where n.loan_id is not null) c
          left join subsidy_run r on r.id = c.run_id
         where (c.run_id is not null and r.id is null)
            or (c.loan_id is not null and not exists (select 1 from loan l where l.id = c.loan_id))
         limit 1;
        if found then
          if offending.run_id is not null then
            raise exception 'a subsidy run line names no run %', offending.run_id using errcode = '23503';
          end if;
          raise exception 'a subsidy run line names no loan %', offending.loan_id using errcode = '23503';
        end if;
        return null;
      end $$;
      create trigger subsidy_run_line_refers after insert on subsidy_run_line
        referencing new table as new_lines for each statement execute function subsidy_run_lines_refer();
      create trigger subsidy_run_line_refers_updated after update on subsidy_run_line
        referencing new table as new_lines for each statement execute function subsidy_run_lines_refer();

      create function subsidy_run_keeps_lines() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from subsidy_run_line where run_id = old.id) then
          raise exception 'subsidy run % still has lines', old.id using errcode = '23503';
        end if;
        return old;
      end $$;
      create trigger subsidy_run_keeps_lines before delete on subsidy_run
        for each row execute function subsidy_run_keeps_lines();
    `);
  }
}
