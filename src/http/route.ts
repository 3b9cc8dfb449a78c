/**
 * Typed routes: one declaration gives the express handler, the request validation and the OpenAPI operation, so the
 * document at /openapi.json cannot drift from what the service accepts.
 *
 * Every route, in this order: authenticates the bearer token (failures limited per client address, logged, never
 * audited) and checks the role — before a byte of the body is read (a write made in one statement may start from the
 * principal a token named before and have the statement confirm it, see `handle`); reads the body within the route's
 * limit and media types (src/http/body.ts); checks path, query and body (src/http/input.ts: text, unknown fields, the
 * zod schema; 422 naming each bad field, nothing written); runs its handler — in one database transaction for
 * anything but GET, with the request's audit row in that same transaction; honours `Idempotency-Key` on POST (the
 * same key and body answer the first answer again, a different body is 409), replaying an answer without its
 * secrets.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response, Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { recordAudit } from '../audit';
import type { OneStatementOutcome, WriteEnvelope } from '../db/one-statement';
import type { Queryable } from '../db/pool';
import { DomainError } from '../errors';
import type { Logger } from '../log';
import { authenticateHash, confirmation, hashToken, samePrincipal, type Principal, type RememberedTokens, type Role } from '../principals';
import { FailedAuthLimiter } from './auth-limit';
import { BODY_LIMIT_BYTES, bodyReadError, readBody, XLSX_MEDIA_TYPE, type ReadBody } from './body';
import { parseInput } from './input';
import { sendProblem } from './problem';
import { Problem } from './schemas';

export interface AppContext {
  pool: pg.Pool;
  logger: Logger;
  /** Failed authentication per client address (src/http/auth-limit.ts); one per app. */
  authLimiter: FailedAuthLimiter;
  /** The principal each token named when last authenticated (see `handle`); one per app. */
  tokens: RememberedTokens;
}

export interface RouteContext<Body, Query, Params> {
  principal: Principal;
  body: Body;
  query: Query;
  params: Params;
  /** The transaction of a write (POST, PUT, PATCH, DELETE), or the pool for a read. */
  db: Queryable;
  app: AppContext;
  req: Request;
  /** Adds an audit row to the request's transaction (for writes: commits with the change). */
  audit(action: string, detail?: Record<string, unknown>): Promise<void>;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  /**
   * What a replay of this answer (same Idempotency-Key, same body) returns instead of `body`, when `body` holds a
   * secret shown once (a new principal's token): the idempotency table keeps this, never the secret.
   */
  replayBody?: unknown;
  /** For non-JSON answers (CSV, XLSX, PDF, hledger journal). */
  contentType?: string;
  headers?: Record<string, string>;
  /** What a route that writes nothing (`writesNothing`) adds to its request's audit row. */
  auditDetail?: Record<string, unknown>;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: Method;
  /** OpenAPI-style path: `/api/v1/loans/{id}`; a literal ':' (as in `loans:batch`) is allowed. */
  path: string;
  summary: string;
  tag: string;
  roles: readonly Role[];
  params?: P;
  query?: Q;
  body?: B;
  /** Documented request content types other than JSON (the handler parses them), e.g. text/csv. */
  extraRequestContent?: Record<string, { description: string }>;
  /** The most bytes of body this route reads (default BODY_LIMIT_BYTES, about 100 kB). */
  bodyLimitBytes?: number;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /**
   * A POST that computes and writes nothing (a reform simulation): it reads on the pool like a GET, keeps no
   * idempotency record (the same body answers the same figures again), and its request's audit row, written before
   * the answer, carries this action instead of the method and path.
   */
  writesNothing?: { auditAction: string };
  handler: (ctx: RouteContext<z.output<B>, z.output<Q>, z.output<P>>) => Promise<RouteResult>;
  /**
   * A body its schema refused, checked further before the 422 is answered: the rules that read several fields, or
   * the database (an enterprise not registered), on the fields that did parse, so that the answer names every bad
   * field and not only the schema's. It throws the fuller refusal; when it returns, the schema's stands. It reads on
   * the pool and writes nothing.
   */
  invalidBody?: (ctx: { db: Queryable; principal: Principal; body: unknown }) => Promise<void>;
  /**
   * The same write in one statement on the pool, its own transaction: the Idempotency-Key, the audit row and the
   * domain write together, one round trip after the token check, or none before it when the token is remembered and
   * the statement confirms it (migrations/…HttpOneStatement.ts, …WritesConfirmPrincipal.ts). `undefined` (a
   * refusal, or anything it does not handle) sends the request down the transaction path of `handler`, which then
   * answers it; nothing was written.
   */
  oneStatement?: (ctx: OneStatementContext<z.output<B>, z.output<Q>, z.output<P>>) => Promise<OneStatementOutcome<RouteResult> | undefined>;
}

export interface OneStatementContext<Body, Query, Params> {
  principal: Principal;
  body: Body;
  query: Query;
  params: Params;
  /** The pool: the statement is its own transaction. */
  db: pg.Pool;
  /** The request's envelope for the database, for an answer with this status. */
  envelope(status: number): WriteEnvelope;
}

interface RegisteredRoute {
  spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>;
}

export class RouteRegistry {
  readonly routes: RegisteredRoute[] = [];

  add<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(
    spec: RouteSpec<B, Q, P>,
  ): void {
    this.routes.push({ spec: spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType> });
  }

  mount(router: Router, app: AppContext): void {
    for (const { spec } of this.routes) {
      router[spec.method](expressPath(spec.path), (req: Request, res: Response, next: NextFunction) => {
        handle(spec, app, req, res).catch(next);
      });
    }
  }
}

/** `/api/v1/loans/{id}` → `/api/v1/loans/:id`; a literal ':' is escaped for express 5's path matcher. */
export function expressPath(path: string): string {
  return path.replace(/:/g, '\\:').replace(/\{(\w+)\}/g, ':$1');
}

const MUTATING = new Set<Method>(['post', 'put', 'patch', 'delete']);
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/**
 * Paths stored in audit rows and log lines are cut here. The longest real path (two ids and every filter of a list)
 * is under 300 characters; a longer one is a mistake or an attack, and audit rows are kept for good.
 */
export const AUDIT_PATH_CHARACTERS_MAX = 1_000;

export function cappedPath(path: string): string {
  return path.length > AUDIT_PATH_CHARACTERS_MAX ? `${path.slice(0, AUDIT_PATH_CHARACTERS_MAX - 1)}…` : path;
}

function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> {
  if (!schema) return undefined as z.output<T>;
  return parseInput(schema, value, where);
}

/**
 * A JSON body through the route's schema; a refused one through `invalidBody`, which may name more of what is wrong.
 * That reads the database, so a caller only remembered is looked up first (a revoked token reads nothing).
 */
async function parseBody(
  spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>,
  app: AppContext,
  req: Request,
  res: Response,
  caller: Caller,
): Promise<unknown> {
  try {
    return parsePart(spec.body, req.body, 'the body');
  } catch (error) {
    if (!spec.invalidBody || !(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
    if (caller.remembered) {
      const confirmed = await confirmCaller(app, req, res);
      caller.remembered = undefined;
      if (!samePrincipal(confirmed, caller.principal)) throw new Unconfirmed();
    }
    await spec.invalidBody({ db: app.pool, principal: caller.principal, body: req.body });
    throw error;
  }
}

/** The client's address as express sees it (the socket's, or the proxy's forwarded one when TRUST_PROXY says so). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * Who sent the request. `remembered` is set while the principal is only the one its token named when last
 * authenticated (`RememberedTokens`): the write's statement, or a lookup, must still confirm it.
 */
interface Caller {
  principal: Principal;
  remembered?: { tokenHash: string };
}

/** Answers a write that found its remembered principal unconfirmed: `handle` authenticates and runs it again. */
class Unconfirmed extends Error {}

async function authenticateRequest(app: AppContext, req: Request, res: Response, mayRemember: boolean): Promise<Caller> {
  const address = clientAddress(req);
  const retryAfterSeconds = app.authLimiter.blockedFor(address);
  if (retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(retryAfterSeconds));
    throw new DomainError('too_many_requests', `too many failed authentications from ${address}; try again in ${retryAfterSeconds} s`, [], {
      retryAfterSeconds,
    });
  }
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  const tokenHash = match ? hashToken(match[1]!) : undefined;
  const hex = tokenHash?.toString('hex');
  if (hex !== undefined && mayRemember) {
    const remembered = app.tokens.get(hex);
    if (remembered) return { principal: remembered, remembered: { tokenHash: hex } };
  }
  const principal = tokenHash ? await authenticateHash(app.pool, tokenHash) : undefined;
  if (principal) {
    app.tokens.remember(hex!, principal);
    return { principal };
  }
  if (hex !== undefined) app.tokens.forget(hex);
  const reason = match ? 'the token is not valid or has been revoked' : 'send Authorization: Bearer <token>';
  const reachedLimit = app.authLimiter.recordFailure(address);
  // Never the token itself: only whether one was sent.
  const line = { requestId: res.locals.requestId as string, clientAddress: address, method: req.method, path: cappedPath(req.originalUrl), tokenSent: Boolean(match) };
  app.logger.warn(line, 'authentication failed');
  if (reachedLimit) app.logger.warn({ ...line, windowSeconds: 60 }, 'failed authentication limit reached: this address is refused until its window ends');
  throw new DomainError('unauthenticated', reason);
}

/**
 * The request's token looked up now, for a caller that was only remembered: a revoked token is answered 401 (and
 * nothing of the request is audited, as for any failed authentication); otherwise the principal the token names today.
 */
async function confirmCaller(app: AppContext, req: Request, res: Response): Promise<Principal> {
  res.locals.principal = undefined;
  res.locals.auditAfterResponse = false;
  const { principal } = await authenticateRequest(app, req, res, false);
  res.locals.principal = principal;
  res.locals.auditAfterResponse = true;
  return principal;
}

/**
 * What an Idempotency-Key stands for: method, path and the body as read — JSON as parsed, re-serialised with every
 * object's keys in one order (a retry whose client wrote the same fields in another order is the same request), CSV
 * and XLSX as sent.
 */
function requestHash(req: Request, body: ReadBody): string {
  return hashRequest(req, body.kind === 'csv' ? body.text : body.kind === 'xlsx' ? body.bytes : canonicalJson(body.kind === 'json' ? body.value : null));
}

/**
 * Whether a key's stored hash stands for this request: the hash above, or the one keys were stored with before JSON
 * keys were put in order (JSON re-serialised in the order it came), so that a key used across the upgrade still
 * replays.
 */
function sameRequest(stored: string, req: Request, body: ReadBody): boolean {
  if (stored === requestHash(req, body)) return true;
  return body.kind !== 'csv' && body.kind !== 'xlsx' && stored === hashRequest(req, JSON.stringify(body.kind === 'json' ? body.value : null));
}

function hashRequest(req: Request, content: string | Buffer): string {
  return createHash('sha256').update(`${req.method} ${req.path}\n`).update(content).digest('hex');
}

/** JSON with every object's keys sorted (arrays keep their order): one text for one value, whatever order it came in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/**
 * A write that can be made in one statement (`oneStatement`) may start from the principal its token named when last
 * authenticated, without looking the token up first: that statement confirms the principal before it writes anything
 * (`principal_confirm`), so a loan or an event costs one round trip. Anything that answers before the statement has
 * confirmed it — a refusal of the role, the body or the fields, or the statement finding the token revoked — looks the
 * token up first, so a revoked token is answered 401 as before; a principal found changed runs the request again as
 * that principal.
 */
async function handle(
  spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>,
  app: AppContext,
  req: Request,
  res: Response,
): Promise<void> {
  const caller = await authenticateRequest(app, req, res, spec.oneStatement !== undefined);
  if (!caller.remembered) return handleAs(spec, app, req, res, caller);
  try {
    await handleAs(spec, app, req, res, caller);
  } catch (error) {
    if (!caller.remembered && !(error instanceof Unconfirmed)) throw error;
    const principal = await confirmCaller(app, req, res);
    if (error instanceof Unconfirmed || !samePrincipal(principal, caller.principal)) {
      return handleAs(spec, app, req, res, { principal });
    }
    throw error;
  }
}

async function handleAs(
  spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>,
  app: AppContext,
  req: Request,
  res: Response,
  caller: Caller,
): Promise<void> {
  const requestId = res.locals.requestId as string;
  const { principal } = caller;
  res.locals.principal = principal;
  // From here on every answer, refusals included, is audited (after the response, or in a write's transaction).
  res.locals.auditAfterResponse = true;
  if (!spec.roles.includes(principal.role)) {
    throw new DomainError('forbidden', `this needs the role ${spec.roles.join(' or ')}; you are ${principal.role}`);
  }
  const mutating = MUTATING.has(spec.method);
  const idempotencyKey = spec.method === 'post' ? req.get('idempotency-key') : undefined;
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    throw new DomainError('validation_failed', 'Idempotency-Key must be 1–200 visible ASCII characters', [
      { path: 'Idempotency-Key', message: 'must be 1–200 visible ASCII characters' },
    ]);
  }
  // Reads take no body: one sent is refused (415) unread, never parsed. Read once: a request run again as its
  // confirmed principal (`handle`) reuses it.
  const read = (res.locals.readBody as ReadBody | undefined) ?? await readBody(req, res, {
    json: mutating && spec.body !== undefined,
    csv: mutating && spec.extraRequestContent?.['text/csv'] !== undefined,
    xlsx: mutating && spec.extraRequestContent?.[XLSX_MEDIA_TYPE] !== undefined,
    limitBytes: spec.bodyLimitBytes ?? BODY_LIMIT_BYTES,
  });
  res.locals.readBody = read;
  req.body = read.kind === 'json' ? read.value : read.kind === 'csv' ? read.text : read.kind === 'xlsx' ? read.bytes : undefined;
  const params = parsePart(spec.params, req.params, 'the path');
  const query = parsePart(spec.query, req.query, 'the query');
  // A CSV body is the handler's to read row by row (each row then passes parseInput's checks, see routes/loans.ts);
  // a JSON body, whatever its type (a JSON string too), passes the route's schema.
  // An XLSX workbook likewise (src/imports reads it).
  const body = read.kind === 'csv' ? read.text : read.kind === 'xlsx' ? read.bytes : await parseBody(spec, app, req, res, caller);
  const base = { principal, params, query, body, app, req };
  const auditRow = (db: Queryable, status: number) =>
    recordAudit(db, {
      principalId: principal.id,
      requestId,
      method: req.method,
      path: cappedPath(req.originalUrl),
      status,
      action: `${spec.method.toUpperCase()} ${spec.path}`,
      ...requestAuditDetail(req, res),
    });

  if (spec.writesNothing) {
    const result = await spec.handler({
      ...base,
      db: app.pool,
      audit: () => Promise.reject(new Error(`${spec.method.toUpperCase()} ${spec.path} writes nothing but its request's audit row`)),
    });
    await recordAudit(app.pool, {
      principalId: principal.id,
      requestId,
      method: req.method,
      path: cappedPath(req.originalUrl),
      status: result.status,
      action: spec.writesNothing.auditAction,
      detail: { ...(result.auditDetail ?? {}), ...(requestAuditDetail(req, res).detail ?? {}) },
    });
    res.locals.auditAfterResponse = false;
    send(res, result);
    return;
  }

  if (!mutating) {
    const result = await spec.handler({
      ...base,
      db: app.pool,
      audit: (action, detail) => recordAudit(app.pool, { principalId: principal.id, requestId, action, ...(detail ? { detail } : {}) }),
    });
    send(res, result);
    return;
  }

  if (spec.oneStatement && read.kind === 'json') {
    const detail = requestAuditDetail(req, res).detail ?? {};
    const remembered = caller.remembered;
    const outcome = await spec.oneStatement({
      principal,
      params,
      query,
      body,
      db: app.pool,
      envelope: (status) => ({
        principalId: principal.id,
        key: idempotencyKey ?? null,
        method: req.method,
        path: req.path,
        hash: idempotencyKey !== undefined ? requestHash(req, read) : null,
        requestId,
        auditPath: cappedPath(req.originalUrl),
        action: `${spec.method.toUpperCase()} ${spec.path}`,
        status,
        detail,
        ...(remembered ? { confirm: confirmation(remembered.tokenHash, principal) } : {}),
      }),
    }).catch((error: unknown) => {
      // principal_confirm: the token was revoked, or its principal changed, since it was remembered. Nothing was written.
      if (remembered && (error as { code?: unknown }).code === '28000') throw new Unconfirmed();
      throw error;
    });
    // Answered by the statement (written or replayed): it confirmed the principal first.
    if (outcome) caller.remembered = undefined;
    if (outcome?.kind === 'replay') {
      if (!sameRequest(outcome.requestHash, req, read)) {
        throw new DomainError('idempotency_conflict', `Idempotency-Key ${idempotencyKey ?? ''} was used for a different request`);
      }
      res.setHeader('Idempotent-Replayed', 'true');
      send(res, { status: outcome.status, body: outcome.response });
      return;
    }
    if (outcome?.kind === 'written') {
      // Its audit row was written by the same statement.
      res.locals.auditAfterResponse = false;
      send(res, outcome.value);
      return;
    }
  }

  // Refused by the statement, or not sent: the transaction path runs as a principal looked up.
  if (caller.remembered) {
    const confirmed = await confirmCaller(app, req, res);
    caller.remembered = undefined;
    if (!samePrincipal(confirmed, principal)) throw new Unconfirmed();
  }
  const client = await app.pool.connect();
  let result: RouteResult;
  let connectionBroken: Error | undefined;
  try {
    await client.query('begin');
    if (idempotencyKey !== undefined) {
      const hash = requestHash(req, read);
      // A concurrent request with the same key waits here until the first commits (then replays) or rolls back.
      const claimed = await client.query(
        `insert into idempotency_record (principal_id, key, method, path, request_hash, status, response)
         values ($1, $2, $3, $4, $5, 0, 'null'::jsonb) on conflict (principal_id, key) do nothing`,
        [principal.id, idempotencyKey, req.method, req.path, hash],
      );
      if (claimed.rowCount === 0) {
        const first = await client.query<{ request_hash: string; status: number; response: unknown }>(
          `select request_hash, status, response from idempotency_record where principal_id = $1 and key = $2`,
          [principal.id, idempotencyKey],
        );
        await client.query('rollback');
        const record = first.rows[0]!;
        if (!sameRequest(record.request_hash, req, read)) {
          throw new DomainError('idempotency_conflict', `Idempotency-Key ${idempotencyKey} was used for a different request`);
        }
        res.setHeader('Idempotent-Replayed', 'true');
        send(res, { status: record.status, body: record.response });
        return;
      }
    }
    result = await spec.handler({
      ...base,
      db: client,
      audit: (action, detail) => recordAudit(client, { principalId: principal.id, requestId, action, ...(detail ? { detail } : {}) }),
    });
    if (idempotencyKey !== undefined) {
      await client.query(`update idempotency_record set status = $3, response = $4 where principal_id = $1 and key = $2`, [
        principal.id,
        idempotencyKey,
        result.status,
        serialize((result.replayBody !== undefined ? result.replayBody : result.body) ?? null),
      ]);
    }
    await auditRow(client, result.status);
    await client.query('commit');
    // Written with the change: nothing more to audit after the response.
    res.locals.auditAfterResponse = false;
  } catch (error) {
    try {
      await client.query('rollback');
    } catch (rollbackError) {
      // The connection is unusable: it is destroyed rather than handed to the next request; the first error stands.
      connectionBroken = rollbackError as Error;
      app.logger.error({ err: rollbackError, requestId }, 'rollback failed; connection discarded');
    }
    throw error;
  } finally {
    client.release(connectionBroken);
  }
  send(res, result);
}

/** The audit detail of a request row: its Idempotency-Key and the request id the client sent, when it sent them. */
export function requestAuditDetail(req: Request, res: Response): { detail?: Record<string, unknown> } {
  const detail: Record<string, unknown> = {};
  const key = req.get('idempotency-key');
  if (key !== undefined && IDEMPOTENCY_KEY_PATTERN.test(key)) detail.idempotencyKey = key;
  if (res.locals.clientRequestId) detail.clientRequestId = res.locals.clientRequestId;
  return Object.keys(detail).length > 0 ? { detail } : {};
}

/** JSON with a guard: a bigint reaching the wire is a bug (money must be formatted as "123.45" first). */
export function serialize(body: unknown): string {
  return JSON.stringify(body, (_key, value) => {
    if (typeof value === 'bigint') throw new TypeError('a bigint reached the JSON encoder: format money with formatYuan');
    return value;
  });
}

function send(res: Response, result: RouteResult): void {
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  res.status(result.status);
  if (result.body === undefined) {
    res.end();
  } else if (result.contentType) {
    res.type(result.contentType).send(result.body);
  } else {
    res.type('application/json').send(serialize(result.body));
  }
}

/**
 * Express error middleware, the only place failures become answers: a DomainError → its problem+json; an error of
 * express itself (a malformed URL) → 400; anything else is ours → 500 `internal`, logged with the request id.
 */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    // An anonymous request refused before its body arrived: the connection closes after the answer instead of reading
    // the rest off the wire to keep it alive, so a 31 MB anonymous body costs nothing. (A known principal's refused
    // body is read off and discarded, so that its client surely reads the answer.)
    if (!req.complete && !res.locals.principal) res.setHeader('Connection', 'close');
    const known = error instanceof DomainError ? error : bodyReadError(error, BODY_LIMIT_BYTES);
    if (known instanceof DomainError) {
      sendProblem(res, known);
      return;
    }
    logger.error({ err: error, requestId: res.locals.requestId, path: cappedPath(req.originalUrl) }, 'unhandled error');
    sendProblem(res, new DomainError('internal', `something went wrong on our side; quote request id ${res.locals.requestId as string}`));
  };
}

// ---------------------------------------------------------------------------------------------------------------
// OpenAPI 3.1, from the same zod schemas.

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    // What the service accepts: an object's undeclared fields are refused at every depth (src/http/input.ts).
    override: ({ zodSchema, jsonSchema: described }) => {
      const def = (zodSchema as unknown as { _zod: { def: { type: string; catchall?: { _zod: { def: { type: string } } } } } })._zod.def;
      if (io === 'input' && def.type === 'object' && (def.catchall === undefined || def.catchall._zod.def.type === 'never')) {
        described.additionalProperties = false;
      }
    },
  });
}

export function openApiDocument(registry: RouteRegistry, info: { title: string; version: string }): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { spec } of registry.routes) {
    const parameters: unknown[] = [];
    for (const [location, schema] of [
      ['path', spec.params],
      ['query', spec.query],
    ] as const) {
      if (!schema) continue;
      const described = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, property] of Object.entries(described.properties ?? {})) {
        parameters.push({ name, in: location, required: location === 'path' || (described.required ?? []).includes(name), schema: property });
      }
    }
    if (spec.method === 'post') {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'a retry with the same key and body returns the first response and writes nothing; another body → 409',
        schema: { type: 'string', maxLength: 200 },
      });
    }
    const requestContent: Record<string, unknown> = {};
    if (spec.body) requestContent['application/json'] = { schema: jsonSchema(spec.body, 'input') };
    for (const [type, { description }] of Object.entries(spec.extraRequestContent ?? {})) {
      requestContent[type] = { schema: { type: 'string', description } };
    }
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? { content: { [response.contentType ?? 'application/json']: { schema: jsonSchema(response.schema, 'output') } } }
          : response.contentType
            ? { content: { [response.contentType]: { schema: { type: 'string' } } } }
            : {}),
      };
    }
    const problem = { content: { 'application/problem+json': { schema: jsonSchema(Problem, 'output') } } };
    responses['401'] = { description: 'no valid bearer token', ...problem };
    responses['403'] = { description: `not allowed for this role (allowed: ${spec.roles.join(', ')})`, ...problem };
    if (spec.body || spec.query || spec.params) responses['422'] = { description: 'invalid input, every bad field named', ...problem };
    if (MUTATING.has(spec.method)) {
      responses['400'] = { description: 'the body is not JSON, not UTF-8, or nested too deep', ...problem };
      responses['413'] = { description: `the body is over ${(spec.bodyLimitBytes ?? BODY_LIMIT_BYTES).toLocaleString('en-US')} bytes`, ...problem };
      responses['415'] = { description: `a body other than ${Object.keys(requestContent).join(' or ') || 'none'}`, ...problem };
    }
    responses['429'] = { description: 'too many failed authentications from this address (Retry-After)', ...problem };
    (paths[spec.path] ??= {})[spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      security: [{ bearer: [] }],
      'x-roles': spec.roles,
      ...(parameters.length ? { parameters } : {}),
      ...(Object.keys(requestContent).length ? { requestBody: { required: true, content: requestContent } } : {}),
      responses,
    };
  }
  paths['/healthz'] = { get: { summary: 'Liveness and database check', tags: ['service'], security: [], responses: { '200': { description: 'serving' }, '503': { description: 'database unreachable' } } } };
  paths['/openapi.json'] = { get: { summary: 'This document', tags: ['service'], security: [], responses: { '200': { description: 'OpenAPI 3.1' } } } };
  return {
    openapi: '3.1.0',
    info,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
