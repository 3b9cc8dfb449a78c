/**
 * `npm start`: find or start PostgreSQL, migrate, make sure a staff principal exists, serve; stop cleanly on
 * SIGTERM/SIGINT (finish requests in flight, close the pool, stop the embedded server).
 */
import path from 'node:path';
import { readConfig } from './config';
import { openDatabaseServer, projectRoot } from './db/server';
import { openServiceDatabase } from './db/service';
import { auditsWritten, createApp } from './http/app';
import { listen } from './http/listen';
import { beginShutdown } from './http/shutdown';
import { createLogger } from './log';
import { ensureBootstrapPrincipal } from './principals';
import { writeTokenFile } from './principals/token-file';

/** Requests still running this long after SIGTERM are cut off: the longest legitimate one (a yearly run) takes seconds. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How often idle keep-alive connections are closed while requests in flight finish. */
const IDLE_SWEEP_MS = 100;

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
    writeTokenFile(tokenFile, generatedToken);
    // Printed once, on purpose, on stdout: the only other copy is the file named here.
    console.log(`\nFirst staff token (shown once; also written to ${tokenFile}):\n  ${generatedToken}\n`);
  }

  const app = createApp({ pool, logger, trustProxy: config.trustProxy, ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}) });
  const { server: http, address } = await listen(app, { host: config.host, port: config.port });
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info({ host: address.address, port: address.port }, `serving on http://${shown}:${address.port}`);

  let stopping = false;
  /**
   * SIGTERM/SIGINT: stop accepting connections, answer 503 + `Connection: close` to a request that still arrives on
   * an open keep-alive connection (src/http/shutdown.ts), let the requests in flight finish (at most the grace
   * period), then close the pool and the embedded server and exit 0 (1 if closing them failed).
   */
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    beginShutdown(app);
    const forced = setTimeout(() => {
      logger.warn('requests still running after the grace period; closing anyway');
      http.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    forced.unref();
    // A keep-alive connection whose request finishes after this point goes idle: close it then, not at the deadline.
    const idleSweep = setInterval(() => http.closeIdleConnections(), IDLE_SWEEP_MS);
    idleSweep.unref();
    http.close(async () => {
      clearInterval(idleSweep);
      let exitCode = 0;
      for (const [what, close] of [
        ['pool', async () => {
          await auditsWritten(app);
          await pool.end();
        }],
        ['database server', () => server.stop()],
      ] as const) {
        try {
          await close();
        } catch (error) {
          exitCode = 1;
          logger.error({ err: error }, `closing the ${what} failed`);
        }
      }
      logger.info({ exitCode }, 'stopped');
      process.exit(exitCode);
    });
    http.closeIdleConnections();
    // Logged once the listener is closed: from this line on, a new connection is refused.
    logger.info({ signal }, 'shutting down');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
