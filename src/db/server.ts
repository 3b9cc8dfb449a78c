import path from 'node:path';
import { startEmbeddedPostgres } from './embedded';

export interface DatabaseServer {
  /** A URL to the server's maintenance database, for creating databases (tests) or our own. */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * `DATABASE_URL` selects a server; without it an embedded PostgreSQL runs with its data in `<project>/.data/<name>`
 * (docs/api.md "Who may do what").
 */
export async function openDatabaseServer(options: {
  databaseUrl?: string | undefined;
  dataDirName: string;
  log?: (message: string) => void;
}): Promise<DatabaseServer> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const server = await startEmbeddedPostgres({
    dataDir: path.join(projectRoot(), '.data', options.dataDirName),
    ...(options.log ? { log: options.log } : {}),
  });
  return { url: server.adminUrl, embedded: true, stop: () => server.stop() };
}

/** The folder holding package.json, from src/ (ts) or dist/src/ (compiled). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!require('node:fs').existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
