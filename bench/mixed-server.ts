/**
 * The server side of the mixed-traffic bench (bench/mixed.ts), in a process of its own as in a deployment, where the
 * clients are elsewhere: `service <database url>` serves createApp on the bench database with the service's own HTTP
 * limits (src/http/listen.ts); `trivial` serves the baseline's one trivial GET the same way. It tells its parent the
 * port it listens on, and closes when the parent sends "stop" (or exits).
 */
import express from 'express';
import { createPool } from '../src/db/pool';
import { createApp } from '../src/http/app';
import { listen } from '../src/http/listen';
import { createLogger } from '../src/log';

async function main(): Promise<void> {
  const [mode, databaseUrl] = process.argv.slice(2);
  const pool = mode === 'service' && databaseUrl ? createPool(databaseUrl) : undefined;
  let app: express.Express;
  if (pool) {
    app = createApp({ pool, logger: createLogger('silent') });
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
