/**
 * `npm run verify`: recomputes the hash chains of the audit log and the ledger and names the first row of each that
 * breaks (README "Security", "Hash chains and the verifier").
 *
 *   npm run verify                                  the service's database (DATABASE_URL, or the embedded server)
 *   npm run verify -- --export chains.jsonl         the same, keeping the export it verified
 *   npm run verify -- --file chains.jsonl           an export made elsewhere (no database needed)
 *   npm run verify -- --statement s.json [...]      also: the chains pass through the heads of these daily statements
 *
 * An export is JSON lines: first `{"format": …, "heads": […]}`, then one row per line in chain order (the rows of
 * GET /api/v1/integrity/export, whose pages can be concatenated under such a first line). Exit status 0 when every
 * chain verifies, 1 when one breaks, 2 when the verification could not be made.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import pg from 'pg';
import { ownedDatabaseRoles } from '../src/db/roles';
import { openDatabaseServer } from '../src/db/server';
import { EMBEDDED_DATABASE, EMBEDDED_ROLES } from '../src/db/service';
import {
  chainHeads,
  exportRows,
  ExportVerifier,
  statementHeads,
  type ChainHead,
  type ChainReport,
  type DailyStatement,
  type ExportRow,
} from '../src/integrity';

export const EXPORT_FORMAT = 'ip-pledge-ledger integrity export';

interface Options {
  file?: string;
  exportTo?: string;
  statements: string[];
}

function parseArguments(argv: string[]): Options {
  const options: Options = { statements: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!value) throw new Error(`${flag} needs a file name; see scripts/verify.ts`);
    if (flag === '--file') options.file = value;
    else if (flag === '--export') options.exportTo = value;
    else if (flag === '--statement') options.statements.push(value);
    else throw new Error(`unknown argument ${flag}; see scripts/verify.ts`);
  }
  return options;
}

async function databaseUrl(): Promise<string> {
  const server = await openDatabaseServer({ databaseUrl: process.env.DATABASE_URL, dataDirName: 'pg', log: (message) => console.error(message) });
  // Reading needs no more than the serving role; with DATABASE_URL, that role (the owner) reads as well.
  return server.embedded ? ownedDatabaseRoles(server.url, EMBEDDED_DATABASE, EMBEDDED_ROLES).appUrl : server.url;
}

/** One line per history when it verifies; one line per broken chain, naming its first break, when not. */
export function describe(reports: ChainReport[]): string {
  const lines: string[] = [];
  for (const chain of ['audit_log', 'ledger'] as const) {
    const ofChain = reports.filter((report) => report.chain === chain);
    const rows = ofChain.reduce((sum, report) => sum + report.rows, 0);
    const broken = ofChain.filter((report) => !report.ok);
    const chains = chain === 'ledger' ? ` in ${ofChain.length} chains` : '';
    if (broken.length === 0) {
      lines.push(`${chain}: ${rows} rows verify${chains}`);
      continue;
    }
    for (const report of broken) {
      const at = report.firstBreak!;
      const which = chain === 'ledger' ? ` chain ${report.shard}` : '';
      lines.push(
        `${chain}${which}: BROKEN at ${at.id === null ? 'its end' : `row ${at.id}`}${at.position === null ? '' : ` (position ${at.position})`} — ${at.reason}: ${at.message}`,
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const verifier = new ExportVerifier();
  for (const file of options.statements) {
    const statement = JSON.parse(fs.readFileSync(file, 'utf8')) as DailyStatement;
    for (const head of statementHeads(statement)) verifier.anchor(head, `the statement of ${statement.date} (${file})`);
  }

  if (options.file) {
    const lines = readline.createInterface({ input: fs.createReadStream(options.file, 'utf8'), crlfDelay: Infinity });
    let first = true;
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const parsed = JSON.parse(line) as ExportRow | { format: string; heads: ChainHead[] };
      if (first && 'format' in parsed) {
        for (const head of parsed.heads) verifier.anchor(head, `the heads recorded in ${options.file}`);
      } else {
        verifier.push(parsed as ExportRow);
      }
      first = false;
    }
  } else {
    const client = new pg.Client({ connectionString: await databaseUrl(), application_name: 'ip-pledge-ledger verify' });
    await client.connect();
    try {
      const heads = await chainHeads(client);
      for (const head of heads) verifier.anchor(head, "the database's record of the chain's head");
      const out = options.exportTo ? fs.createWriteStream(options.exportTo, 'utf8') : undefined;
      out?.write(`${JSON.stringify({ format: EXPORT_FORMAT, version: 1, exportedAt: new Date().toISOString(), heads })}\n`);
      for await (const row of exportRows(client)) {
        verifier.push(row);
        if (out && !out.write(`${JSON.stringify(row)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      if (out) await new Promise<void>((resolve) => out.end(() => resolve()));
    } finally {
      await client.end();
    }
  }
  const reports = verifier.finish();
  console.log(describe(reports));
  return reports.every((report) => report.ok) ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (status) => process.exit(status),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
