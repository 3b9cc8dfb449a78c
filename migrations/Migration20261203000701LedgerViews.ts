import { Migration } from '@mikro-orm/migrations';

/**
 * What the ledger shares with the others (migrations/owners.ts): each account's running totals by code, for a module
 * that reads many of its own accounts at once (the loans list sums four memo accounts per loan). Balances "as of" a
 * date stay the ledger's own functions (src/ledger).
 */
export class Migration20261203000701LedgerViews extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create view ledger_account_totals as select code, debits_fen, credits_fen from ledger_account;
    `);
  }
}
