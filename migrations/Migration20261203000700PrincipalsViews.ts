import { Migration } from '@mikro-orm/migrations';

/**
 * What the principals module shares with the others (migrations/owners.ts): banks, principals and funding bodies by
 * id and name, without the token hashes or anything a reader does not need. The other modules name these views,
 * never the tables.
 */
export class Migration20261203000700PrincipalsViews extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create view bank_directory as select id, code, name from bank;
      create view principal_directory as select id, name, role, bank_id, body, revoked_at from principal;
      create view funding_body_directory as select code, name, fiscal_level from funding_body;
    `);
  }
}
