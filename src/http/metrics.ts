/**
 * `GET /metrics` (Prometheus text format) and the middleware that counts and times every request by its route
 * template. Who may read it (README "Metrics"):
 *
 * - with `METRICS_TOKEN` set: only a request carrying `Authorization: Bearer <METRICS_TOKEN>`, from anywhere;
 * - without it: only a client on this machine (127.0.0.1 / ::1) whose request came straight in — one that a proxy
 *   forwarded (a `Forwarded` or `X-Forwarded-For` header) is refused, since behind a local reverse proxy every
 *   client would otherwise look local.
 *
 * The metrics say how busy the service is and how long its pool queues; they name no enterprise, loan or amount,
 * but they are still not for the public internet.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { DomainError } from '../errors';
import { METRICS_CONTENT_TYPE, renderMetrics, type AppMetrics } from '../metrics';
import { sendProblem } from './problem';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The route template of a request, never its raw URL (ids and query strings would make a label per loan): the
 * declared path of the matched route (`/api/v1/loans/{id}`), a name a middleware gave it (`res.locals.metricsRoute`),
 * or one of two fixed names for what matched no route: "(no route)" and "(console)" (the web console's files).
 */
export function routeLabel(req: Request, res: Response): string {
  if (typeof res.locals.metricsRoute === 'string') return res.locals.metricsRoute;
  const declared = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof declared === 'string') {
    // Undo src/http/route.ts expressPath: `:id` → `{id}`, an escaped literal `\:` → `:`.
    return declared.replace(/(?<!\\):(\w+)/g, '{$1}').replace(/\\:/g, ':');
  }
  // originalUrl: inside a mounted handler (`app.use('/api', …)`) req.path has lost its mount point.
  if (req.originalUrl.startsWith('/api/')) return '(no route)';
  return req.method === 'GET' || req.method === 'HEAD' ? '(console)' : '(no route)';
}

/** Counts and times each request when its answer has been sent (or its connection dropped before that). */
export function metricsMiddleware(metrics: AppMetrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.duration.startTimer();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      // A connection closed before the answer was written has no status to speak of: 499, as nginx logs it.
      const status = res.writableFinished ? String(res.statusCode) : '499';
      const labels = { method: req.method, route: routeLabel(req, res), status };
      metrics.requests.inc(labels);
      stop(labels);
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}

function isDirectLoopback(req: Request): boolean {
  const address = req.socket.remoteAddress ?? '';
  return LOOPBACK.has(address) && req.get('forwarded') === undefined && req.get('x-forwarded-for') === undefined;
}

function tokenMatches(req: Request, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function metricsHandler(metrics: AppMetrics, token: string | undefined): RequestHandler {
  return async (req: Request, res: Response) => {
    if (token !== undefined) {
      if (!tokenMatches(req, token)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        sendProblem(res, new DomainError('unauthenticated', 'send Authorization: Bearer <METRICS_TOKEN>'));
        return;
      }
    } else if (!isDirectLoopback(req)) {
      sendProblem(res, new DomainError('forbidden', 'without METRICS_TOKEN the metrics answer only to a client on this machine that is not behind a proxy'));
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type(METRICS_CONTENT_TYPE).send(await renderMetrics(metrics));
  };
}
