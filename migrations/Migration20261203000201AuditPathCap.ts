import { Migration } from '@mikro-orm/migrations';

/**
 * The path stored in an audit row is at most 1,000 characters (src/http/route.ts AUDIT_PATH_CHARACTERS_MAX cuts a
 * longer one, ending it with "…"): audit rows are kept for good, and a 14 kB query string is an attack or a mistake,
 * not a record. Checked here as well, for rows that do not come through the HTTP layer; rows written before are left
 * as they are (NOT VALID: the audit log is append-only).
 */
export class Migration20261203000201AuditPathCap extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table audit_log add constraint audit_log_path_length check (length(path) <= 1000) not valid;
    `);
  }
}
