import { randomUUID } from 'node:crypto';
import express from 'express';
import type pg from 'pg';
import { recordAudit } from '../audit';
import type { Logger } from '../log';
import type { Principal } from '../principals';
import { errorHandler, openApiDocument, RouteRegistry, type AppContext } from './route';
import { registerAccessRoutes } from './routes/access';
import { registerLedgerRoutes } from './routes/ledger';

/** A batch of 10,000 loans or events (API.md) is about 5 MB of JSON or CSV; nothing legitimate comes near this. */
export const BODY_LIMIT_BYTES = 32 * 1024 * 1024;

export function buildRegistry(): RouteRegistry {
  const registry = new RouteRegistry();
  registerAccessRoutes(registry);
  registerLedgerRoutes(registry);
  return registry;
}

export function createApp(options: { pool: pg.Pool; logger: Logger }): express.Express {
  const app = express();
  const context: AppContext = { pool: options.pool, logger: options.logger };
  const registry = buildRegistry();
  const openApi = openApiDocument(registry, { title: 'IP-pledge financing support — API', version: '1.0.0' });

  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    const requestId = (req.get('x-request-id') ?? '').slice(0, 100) || randomUUID();
    const started = process.hrtime.bigint();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const principal = res.locals.principal as Principal | undefined;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      options.logger.info(
        { requestId, method: req.method, path: req.originalUrl, status: res.statusCode, durationMs, principal: principal?.id },
        'request',
      );
      // Reads, refusals and replays: their audit row is written after the answer (writes have theirs in their transaction).
      if (res.locals.auditAfterResponse && req.path.startsWith('/api/')) {
        recordAudit(options.pool, {
          principalId: principal?.id ?? null,
          requestId,
          method: req.method,
          path: req.originalUrl,
          status: res.statusCode,
          action: `${req.method} ${req.route?.path ?? req.path}`,
        }).catch((error) => options.logger.error({ err: error, requestId }, 'audit write failed'));
      }
    });
    next();
  });
  app.use(express.json({ limit: BODY_LIMIT_BYTES, strict: false }));
  app.use(express.text({ type: 'text/csv', limit: BODY_LIMIT_BYTES }));

  app.get('/healthz', async (_req, res) => {
    try {
      await options.pool.query('select 1');
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });

  const api = express.Router();
  registry.mount(api, context);
  app.use(api);
  app.use('/api', (req, res) => {
    res.locals.auditAfterResponse = true;
    res
      .status(404)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: 'urn:ip-pledge:problem:not_found',
          title: 'Not found',
          status: 404,
          detail: `no route ${req.method} ${req.originalUrl}`,
          code: 'not_found',
        }),
      );
  });
  app.use(errorHandler(options.logger));
  return app;
}
