/**
 * Graceful shutdown, the app's half (src/main.ts has the process's half: stop listening, wait for requests in flight,
 * close the pool and the embedded server). Once `beginShutdown(app)` has run, a request that still arrives — on a
 * keep-alive connection opened before — is refused with 503 and `Connection: close`, so the client retries elsewhere
 * (or after the restart) instead of starting work that the pool's closing would cut off.
 */
import type express from 'express';
import type { RequestHandler } from 'express';
import { DomainError } from '../errors';
import { sendProblem } from './problem';

const SHUTTING_DOWN = 'shuttingDown';
/** What a client is told to wait before retrying: a restart of the service takes a few seconds. */
const RETRY_AFTER_SECONDS = 5;

export function beginShutdown(app: express.Express): void {
  app.locals[SHUTTING_DOWN] = true;
}

export function isShuttingDown(app: express.Express): boolean {
  return app.locals[SHUTTING_DOWN] === true;
}

export function refuseWhileShuttingDown(): RequestHandler {
  return (req, res, next) => {
    if (req.app.locals[SHUTTING_DOWN] !== true) return next();
    res.locals.metricsRoute = '(shutting down)';
    res.setHeader('Connection', 'close');
    res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    sendProblem(res, new DomainError('shutting_down', `the service is stopping; retry in ${RETRY_AFTER_SECONDS} s`));
  };
}
