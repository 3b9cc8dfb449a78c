import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import type pg from 'pg';
import { recordAudit } from '../audit';
import { projectRoot } from '../db/server';
import type { Logger } from '../log';
import { createAppMetrics } from '../metrics';
import type { Principal } from '../principals';
import { metricsHandler, metricsMiddleware } from './metrics';
import { errorHandler, openApiDocument, RouteRegistry, type AppContext } from './route';
import { registerAccessRoutes } from './routes/access';
import { registerExportRoutes } from './routes/exports';
import { registerFundRoutes } from './routes/fund';
import { registerFundExportRoutes } from './routes/fund-exports';
import { registerImportRoutes } from './routes/imports';
import { registerTargetRoutes } from './routes/targets';
import { registerLedgerRoutes } from './routes/ledger';
import { registerReportRoutes } from './routes/reports';
import { registerLoanRoutes } from './routes/loans';
import { registerSubsidyRoutes } from './routes/subsidy';
import { registerWhitelistRoutes } from './routes/whitelist';
import { refuseWhileShuttingDown } from './shutdown';
import { XLSX_MEDIA_TYPE } from '../imports';

/** A batch of 10,000 loans or events (API.md) is about 5 MB of JSON or CSV; nothing legitimate comes near this. */
export const BODY_LIMIT_BYTES = 32 * 1024 * 1024;

export const OPENAPI_INFO = { title: 'IP-pledge financing support — API', version: '1.0.0' };

export function buildRegistry(): RouteRegistry {
  const registry = new RouteRegistry();
  registerAccessRoutes(registry);
  registerLedgerRoutes(registry);
  registerLoanRoutes(registry);
  registerSubsidyRoutes(registry);
  registerReportRoutes(registry);
  registerFundRoutes(registry);
  registerFundExportRoutes(registry);
  registerWhitelistRoutes(registry);
  registerExportRoutes(registry);
  registerImportRoutes(registry);
  registerTargetRoutes(registry);
  return registry;
}

/** Where `vite build web` writes the console (README "Console"). */
export function defaultWebDist(): string {
  return path.join(projectRoot(), 'web', 'dist');
}

export function createApp(options: { pool: pg.Pool; logger: Logger; webDist?: string; metricsToken?: string }): express.Express {
  const app = express();
  const context: AppContext = { pool: options.pool, logger: options.logger };
  const registry = buildRegistry();
  const openApi = openApiDocument(registry, OPENAPI_INFO);

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
  const metrics = createAppMetrics(options.pool);
  app.use(metricsMiddleware(metrics));
  app.use(refuseWhileShuttingDown());
  app.use(express.json({ limit: BODY_LIMIT_BYTES, strict: false }));
  app.use(express.text({ type: 'text/csv', limit: BODY_LIMIT_BYTES }));
  app.use(express.raw({ type: XLSX_MEDIA_TYPE, limit: BODY_LIMIT_BYTES }));

  app.get('/healthz', async (_req, res) => {
    try {
      await options.pool.query('select 1');
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  app.get('/metrics', metricsHandler(metrics, options.metricsToken));
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
  serveConsole(app, options.webDist ?? defaultWebDist());
  app.use(errorHandler(options.logger));
  return app;
}

/**
 * The web console: its hashed assets, cached for good, and index.html (never cached, so a new build shows at once)
 * for any other GET outside /api, so that a reload of /ledger finds the single-page app. Read per request, so a
 * `npm run build:web` while the service runs is picked up.
 */
function serveConsole(app: express.Express, webDist: string): void {
  const indexHtml = path.join(webDist, 'index.html');
  app.use(
    express.static(webDist, {
      index: false,
      setHeaders: (res, file) => {
        const immutable = file.startsWith(path.join(webDist, 'assets') + path.sep);
        res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.use((req, res, next) => {
    // A missing asset is a 404, not the app: the browser would try to run index.html as a script.
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/assets/')) return next();
    if (!fs.existsSync(indexHtml)) {
      res.status(503).type('text/plain; charset=utf-8').send('The web console is not built: run `npm run build` (or `npm run build:web`).\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
}
