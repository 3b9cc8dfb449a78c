/**
 * The server side of the mixed-traffic bench (bench/mixed.ts), in a process of its own as in a deployment, where the
 * clients are elsewhere: `service <database url>` serves createApp on the bench database with the service's own HTTP
 * limits (src/http/listen.ts); `trivial` serves the baseline's one trivial GET the same way. It tells its parent the
 * port it listens on, and closes when the parent sends "stop" (or exits).
 */
import express from 'express';
import { listen } from '../src/http/listen';

async function main(): Promise<void> {
  const [mode, databaseUrl] = process.argv.slice(2);
  let app: express.Express;
  let pool: { end: () => Promise<void> } | undefined;
  if (mode === 'service' && databaseUrl) {
    // Loaded only here: the trivial server holds no more than express, as a trivial service would.
    const { createPool } = require('../src/db/pool') as typeof import('../src/db/pool');
    const { createApp } = require('../src/http/app') as typeof import('../src/http/app');
    const { createLogger } = require('../src/log') as typeof import('../src/log');
    const servicePool = createPool(databaseUrl);
    pool = servicePool;
    app = createApp({ pool: servicePool, logger: createLogger('silent') });
  } else {
    app = express();
    app.get('/one', (_req, res) => {
      res.json({ items: [{ id: 1, name: 'one' }], nextCursor: null });
    });
  }
  const { server, address } = await listen(app, { host: '127.0.0.1', port: 0 });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close(() => {
      void (pool ? pool.end() : Promise.resolve()).finally(() => process.exit(0));
    });
  };
  process.on('message', (message) => {
    if (message === 'stop') stop();
  });
  process.on('disconnect', stop);
  process.send!({ port: address.port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
