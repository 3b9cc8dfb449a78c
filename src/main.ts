/**
 * `npm start`: find or start PostgreSQL, migrate, make sure a staff principal exists, serve; stop cleanly on
 * SIGTERM/SIGINT (finish requests in flight, close the pool, stop the embedded server).
 */
import fs from 'node:fs';
import path from 'node:path';
import { readConfig } from './config';
import { openDatabaseServer, projectRoot } from './db/server';
import { openServiceDatabase } from './db/service';
import { createApp } from './http/app';
import { createLogger } from './log';
import { ensureBootstrapPrincipal } from './principals';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const server = await openDatabaseServer({
    databaseUrl: config.databaseUrl,
    dataDirName: 'pg',
    log: (message) => logger.info(message),
  });
  // Migrates as the owner of the tables and serves as a role that cannot change history (src/db/service.ts).
  const database = await openServiceDatabase(server, {
    databaseAppUrl: config.databaseAppUrl,
    log: (message, detail) => logger.info(detail ?? {}, message),
  });
  if (database.applied.length > 0) logger.info({ migrations: database.applied }, 'database migrated');
  const pool = database.pool;

  const generatedToken = await ensureBootstrapPrincipal(pool, config.bootstrapToken);
  if (generatedToken) {
    const tokenFile = path.join(projectRoot(), '.data', 'bootstrap-token.txt');
    fs.mkdirSync(path.dirname(tokenFile), { recursive: true });
    fs.writeFileSync(tokenFile, `${generatedToken}\n`, { mode: 0o600 });
    // Printed once, on purpose, on stdout: the only other copy is the file named here.
    console.log(`\nFirst staff token (shown once; also written to ${tokenFile}):\n  ${generatedToken}\n`);
  }

  const app = createApp({ pool, logger });
  const http = app.listen(config.port, () => logger.info({ port: config.port }, `serving on http://127.0.0.1:${config.port}`));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => {
      logger.warn('requests still running after the grace period; closing anyway');
      http.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    forced.unref();
    http.close(async () => {
      await pool.end().catch(() => undefined);
      await server.stop().catch(() => undefined);
      logger.info('stopped');
      process.exit(0);
    });
    http.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
