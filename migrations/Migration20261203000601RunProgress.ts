import { Migration } from '@mikro-orm/migrations';

/**
 * How far a yearly run's computation has got, for the console's progress bar: one row per stage reached (loading the
 * year's loans and events, computing, storing the lines, reading the run back), with a percentage. The rows are
 * written outside the run's own transaction (src/subsidy/runs/progress.ts), so they can be read while it computes;
 * they are never changed. A run that fails leaves a last row `failed`.
 */
export class Migration20261203000601RunProgress extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table subsidy_run_progress (
        progress_id uuid not null,
        seq integer not null check (seq >= 1),
        principal_id uuid references principal (id),
        stage text not null check (stage in ('started', 'loading', 'computing', 'storing', 'reading', 'failed')),
        percent smallint not null check (percent between 0 and 100),
        detail text check (length(detail) <= 500),
        at timestamptz not null default clock_timestamp(),
        primary key (progress_id, seq)
      );
      create trigger subsidy_run_progress_append_only before update or delete on subsidy_run_progress
        for each row execute function forbid_change();
    `);
  }
}
