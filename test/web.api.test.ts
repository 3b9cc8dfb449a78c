/**
 * The console's typed client cannot drift from the API: the committed web/src/api/schema.ts and
 * roles.ts must be exactly what `npm run web:api` makes from today's routes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateWebApi } from '../scripts/web-api';

/** Fails with the first line that differs, and what to run. */
function expectCommitted(file: string, generated: string): void {
  const committed = fs.readFileSync(path.join(__dirname, '..', 'web', 'src', 'api', file), 'utf8');
  if (committed === generated) return;
  const committedLines = committed.split('\n');
  const generatedLines = generated.split('\n');
  const line = generatedLines.findIndex((text, index) => text !== committedLines[index]);
  const at = line === -1 ? committedLines.length : line;
  throw new Error(
    `web/src/api/${file} is stale: run \`npm run web:api\` and commit it.\n` +
      `line ${at + 1}: committed ${JSON.stringify(committedLines[at])}, generated ${JSON.stringify(generatedLines[at])}`,
  );
}

describe('the web console API types', () => {
  const generated = generateWebApi();

  it('web/src/api/schema.ts is what openapi-typescript makes of the current routes', () => {
    expectCommitted('schema.ts', generated.schema);
  });

  it('web/src/api/roles.ts lists every operation with the roles its route allows', () => {
    expectCommitted('roles.ts', generated.roles);
    expect(generated.roles).toContain("'POST /api/v1/banks': ['staff'],");
    expect(generated.roles).toContain("'GET /api/v1/audit-log': ['staff', 'auditor'],");
  });
});
