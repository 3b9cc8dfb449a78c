import { Migration } from '@mikro-orm/migrations';

/**
 * A run's lines stored without compression (README "Benchmark", the yearly draft): a line whose row passed ~2 kB
 * (the default `toast_tuple_target`) had its trace compressed with pglz on the way in, which took about a fifth of
 * the server's time of storing 100,000 lines and saved a fifth of their size only (a trace names its shared parts,
 * src/subsidy/runs/store.ts, and is ~1 kB of text). With the target at its maximum a row is compressed or moved out
 * of line only when it would not fit in a page. Rows already stored are left as they are.
 */
export class Migration20261203001501RunLinesUncompressed extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table subsidy_run_line set (toast_tuple_target = 8160);`);
  }
}
