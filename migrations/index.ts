/**
 * Every migration, in order. MikroORM applies them from this list (not by scanning a folder), so the same list works
 * from TypeScript under jest and from the compiled service.
 */
import { Migration20261123000001Foundation } from './Migration20261123000001Foundation';
import { Migration20261123000002Ledger } from './Migration20261123000002Ledger';

export const migrations = [
  { name: 'Migration20261123000001Foundation', class: Migration20261123000001Foundation },
  { name: 'Migration20261123000002Ledger', class: Migration20261123000002Ledger },
];
