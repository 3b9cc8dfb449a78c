import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import type pg from 'pg';
import { AuditQueue } from '../audit';
import { projectRoot } from '../db/server';
import type { Logger } from '../log';
import { createAppMetrics } from '../metrics';
import { RememberedTokens, type Principal } from '../principals';
import { FailedAuthLimiter } from './auth-limit';
import { securityHeaders } from './headers';
import { DomainError } from '../errors';
import { metricsHandler, metricsMiddleware } from './metrics';
import { sendProblem } from './problem';
import { cappedPath, clientAddress, errorHandler, openApiDocument, requestAuditDetail, RouteRegistry, type AppContext } from './route';
import { registerAccessRoutes } from './routes/access';
import { registerExportRoutes } from './routes/exports';
import { registerFundRoutes } from './routes/fund';
import { registerTodoRoutes } from './routes/todo';
import { registerFundExportRoutes } from './routes/fund-exports';
import { registerImportRoutes } from './routes/imports';
import { registerTargetRoutes } from './routes/targets';
import { registerLedgerRoutes } from './routes/ledger';
import { registerReportRoutes } from './routes/reports';
import { registerLoanRoutes } from './routes/loans';
import { registerSubsidyRoutes } from './routes/subsidy';
import { registerWhitelistRoutes } from './routes/whitelist';
import { refuseWhileShuttingDown } from './shutdown';

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
  registerTodoRoutes(registry);
  return registry;
}

/** Where `vite build web` writes the console (README "Console"). */
export function defaultWebDist(): string {
  return path.join(projectRoot(), 'web', 'dist');
}

export interface AppOptions {
  pool: pg.Pool;
  logger: Logger;
  webDist?: string;
  /** When set, GET /metrics needs it as a bearer token; unset, /metrics answers only on the loopback. */
  metricsToken?: string;
  /** express's `trust proxy` (TRUST_PROXY): which proxies' X-Forwarded-For names the client address. Default: none. */
  trustProxy?: boolean | number | string;
  /** The failed-authentication limiter (tests pass one with a clock of their own). */
  authLimiter?: FailedAuthLimiter;
}

const AFTER_RESPONSE_AUDIT = 'afterResponseAudit';

/** Resolves once the audit rows of the answers sent so far are written: before the pool closes (src/main.ts). */
export function auditsWritten(app: express.Express): Promise<void> {
  return (app.locals[AFTER_RESPONSE_AUDIT] as AuditQueue | undefined)?.flush() ?? Promise.resolve();
}

/** A request id the client sent, kept as its own field: printable ASCII, at most 100 characters, or nothing. */
const CLIENT_REQUEST_ID_PATTERN = /^[\x20-\x7e]{1,100}$/;

export function createApp(options: AppOptions): express.Express {
  const app = express();
  const context: AppContext = {
    pool: options.pool,
    logger: options.logger,
    authLimiter: options.authLimiter ?? new FailedAuthLimiter(),
    tokens: new RememberedTokens(),
  };
  const registry = buildRegistry();
  const openApi = openApiDocument(registry, OPENAPI_INFO);
  const afterResponse = new AuditQueue(options.pool, (error, record) =>
    options.logger.error({ err: error, requestId: record.requestId }, 'audit write failed'),
  );
  app.locals[AFTER_RESPONSE_AUDIT] = afterResponse;

  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', options.trustProxy ?? false);
  app.use((req, res, next) => {
    // Ours, always: a client's id could be anyone's (one bank reusing an auditor's). The client's is kept beside it.
    const requestId = randomUUID();
    const sent = req.get('x-request-id');
    const clientRequestId = sent !== undefined && CLIENT_REQUEST_ID_PATTERN.test(sent) ? sent : undefined;
    const started = process.hrtime.bigint();
    res.locals.requestId = requestId;
    res.locals.clientRequestId = clientRequestId;
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const principal = res.locals.principal as Principal | undefined;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const path = cappedPath(req.originalUrl);
      options.logger.info(
        { requestId, clientRequestId, clientAddress: clientAddress(req), method: req.method, path, status: res.statusCode, durationMs, principal: principal?.id },
        'request',
      );
      // Reads, refusals and replays of an authenticated principal: their audit row is written after the answer
      // (writes have theirs in their transaction). Anonymous requests are logged, never audited.
      if (res.locals.auditAfterResponse && principal && req.path.startsWith('/api/')) {
        afterResponse.add({
          principalId: principal.id,
          requestId,
          method: req.method,
          path,
          status: res.statusCode,
          action: `${req.method} ${req.route?.path ?? req.path}`,
          ...requestAuditDetail(req, res),
        });
      }
    });
    next();
  });
  app.use(securityHeaders());
  const metrics = createAppMetrics(options.pool);
  app.use(metricsMiddleware(metrics));
  app.use(refuseWhileShuttingDown());

  app.get('/healthz', async (_req, res) => {
    try {
      await options.pool.query('select 1');
      res.json({ status: 'ok', database: 'ok' });
    } catch (error) {
      // Answered 503 for the load balancer, and the cause logged for us.
      options.logger.warn({ err: error, requestId: res.locals.requestId as string }, 'healthz: the database did not answer');
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
    sendProblem(res, new DomainError('not_found', `no route ${req.method} ${cappedPath(req.originalUrl)}`));
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
