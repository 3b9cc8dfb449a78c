/**
 * Module boundaries in SQL: only a module's own code names its tables (migrations/owners.ts). Every string and
 * template literal of `src/<module>/**` (tests aside) is read as SQL; a table that another module owns, named after
 * `from`, `join`, `into`, `update`, `table` or `copy`, fails the test with the file, the line and the owner. Views and
 * functions the migrations create are what owners export, and may be named anywhere; a read by design is declared
 * with its reason in migrations/owners.ts (`READS_BY_DESIGN`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { MIGRATION_OWNERS, READS_BY_DESIGN, type Module } from '../migrations/owners';
import { createTestDatabase, type TestDatabase } from './support/database';

const ROOT = path.resolve(__dirname, '..');
const SQL_NAME = /\b(?:from|join|into|update|table|copy)\s+(?:only\s+)?([a-z_][a-z0-9_]*)/gi;

/** Table → owner, from the migrations' `create table` statements and the map of owners. */
function tableOwners(): { owners: Map<string, Module>; exported: Set<string>; unlisted: string[] } {
  const owners = new Map<string, Module>();
  const exported = new Set<string>();
  const unlisted: string[] = [];
  for (const file of readdirSync(path.join(ROOT, 'migrations')).filter((name) => /^Migration\d+\w*\.ts$/.test(name)).sort()) {
    const name = file.replace(/\.ts$/, '');
    const text = readFileSync(path.join(ROOT, 'migrations', file), 'utf8');
    const owner = MIGRATION_OWNERS[name];
    for (const match of text.matchAll(/create\s+(?:or\s+replace\s+)?(table|view|materialized\s+view|function)\s+(?:if\s+not\s+exists\s+)?([a-z_][a-z0-9_]*)/gi)) {
      const [, kind, object] = match as unknown as [string, string, string];
      if (kind.toLowerCase() !== 'table') {
        exported.add(object);
        continue;
      }
      const module = typeof owner === 'string' ? owner : owner?.[object];
      if (module === undefined) unlisted.push(`${name}: ${object}`);
      else owners.set(object, module);
    }
  }
  return { owners, exported, unlisted };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry) ? [full] : [];
  });
}

/** Every string and template literal of a file's text, with its line. */
function literals(file: string, text: string): Array<{ text: string; line: number }> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: Array<{ text: string; line: number }> = [];
  const visit = (node: ts.Node) => {
    let text: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((span) => ` \${…} ${span.literal.text}`)].join('');
    if (text !== null) found.push({ text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The module a source file belongs to: its first folder under src/ (files directly in src/ belong to none). */
function moduleOf(file: string): string | null {
  const parts = path.relative(path.join(ROOT, 'src'), file).split(path.sep);
  return parts.length > 1 ? parts[0]! : null;
}

/** Each table of another module that a file's SQL names, as "file:line: names <table>, a table of <owner>". */
function violations(files: ReadonlyArray<{ file: string; text: string }>, owners: ReadonlyMap<string, Module>): string[] {
  const found: string[] = [];
  for (const { file, text: source } of files) {
    const module = moduleOf(file);
    for (const { text, line } of literals(file, source)) {
      for (const match of text.matchAll(SQL_NAME)) {
        const table = match[1]!.toLowerCase();
        const owner = owners.get(table);
        const byDesign = (READS_BY_DESIGN[module as Module] ?? []).includes(table);
        if (owner !== undefined && owner !== module && !byDesign) found.push(`${path.relative(ROOT, file)}:${line}: names ${table}, a table of ${owner}`);
      }
    }
  }
  return [...new Set(found)];
}

describe('module boundaries in SQL', () => {
  const { owners, exported, unlisted } = tableOwners();

  it('every table a migration creates has an owner in migrations/owners.ts', () => {
    expect(unlisted).toEqual([]);
    expect(owners.get('loan')).toBe('loans');
    expect(owners.get('subsidy_run')).toBe('subsidy');
    expect(owners.get('bank')).toBe('principals');
  });

  it('no module names another module\'s table (views and functions are the owners\' exports)', () => {
    for (const name of exported) expect(owners.has(name)).toBe(false);
    const files = sourceFiles(path.join(ROOT, 'src')).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    expect(violations(files, owners)).toEqual([]);
  });

  it('the check finds a table of another module, and not the module\'s own', () => {
    // A file of the reports module reading the loans' table, and one of the loans module reading it.
    const probe = (module: string, text: string) => [{ file: path.join(ROOT, 'src', module, 'probe.ts'), text }];
    expect(violations(probe('reports', 'const sql = `select l.id from loan l join enterprise e on e.uscc = l.enterprise_uscc`;'), owners)).toEqual([
      'src/reports/probe.ts:1: names loan, a table of loans',
      'src/reports/probe.ts:1: names enterprise, a table of loans',
    ]);
    expect(violations(probe('loans', 'const sql = `select l.id from loan l`;'), owners)).toEqual([]);
    // A view the owner exports may be named anywhere; words in a comment are not SQL.
    expect(violations(probe('subsidy', "const sql = 'select id from loan_facts l';"), owners)).toEqual([]);
    expect(violations(probe('reports', '// reads what it needs from loan events\nconst x = 1;'), owners)).toEqual([]);
  });
});

describe('what the owners export, as the service sees it', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('the serving role reads the views and the function the owners export', async () => {
    for (const view of ['loan_facts', 'enterprise_registration', 'pledged_asset', 'bank_directory', 'principal_directory', 'funding_body_directory', 'ledger_account_totals']) {
      await expect(db.pool.query(`select count(*) from ${view}`)).resolves.toBeDefined();
    }
    // An unknown loan has no events: no settlement, not in default, active.
    const summary = await db.pool.query(`select status, defaulted, settlement_date from loan_event_summary('00000000-0000-4000-8000-000000000000', null)`);
    expect(summary.rows).toEqual([{ status: 'active', defaulted: false, settlement_date: null }]);
  });

  it.each([
    ['update ledger_account_totals set code = $$x$$'],
    ['insert into bank_directory (code, name) values ($$X$$, $$x$$)'],
    ['update principal_directory set name = $$x$$'],
    ['delete from enterprise_registration'],
  ])('nor can it write through a view (a simple view is updatable with its owner\'s rights): %s', async (sql) => {
    await expect(db.pool.query(sql)).rejects.toMatchObject({ code: '42501' });
  });
});
