/**
 * Typed routes: one declaration gives the express handler, the request validation and the OpenAPI operation, so the
 * document at /openapi.json cannot drift from what the service accepts (issue 2 § 3).
 *
 * Every route: authenticates the bearer token and checks the role; validates params, query and body with zod (422
 * naming each bad field, nothing written); runs its handler — in one database transaction for anything but GET,
 * with the request's audit row in that same transaction; honours `Idempotency-Key` on POST (API.md "Conventions").
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response, Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { recordAudit } from '../audit';
import type { Queryable } from '../db/pool';
import { DomainError } from '../errors';
import { SubsidyError } from '../subsidy/errors';
import type { Logger } from '../log';
import { authenticate, type Principal, type Role } from '../principals';
import { fieldProblems, problemFor, sendProblem, validationFailed } from './problem';
import { Problem } from './schemas';

export interface AppContext {
  pool: pg.Pool;
  logger: Logger;
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
  /** For non-JSON answers (CSV, XLSX, PDF, hledger journal). */
  contentType?: string;
  headers?: Record<string, string>;
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
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  handler: (ctx: RouteContext<z.output<B>, z.output<Q>, z.output<P>>) => Promise<RouteResult>;
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

function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> {
  if (!schema) return undefined as z.output<T>;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed(fieldProblems(parsed.error), where);
  return parsed.data;
}

async function authenticateRequest(app: AppContext, req: Request): Promise<Principal> {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) throw new DomainError('unauthenticated', 'send Authorization: Bearer <token>');
  const principal = await authenticate(app.pool, match[1]!);
  if (!principal) throw new DomainError('unauthenticated', 'the token is not valid or has been revoked');
  return principal;
}

function requestHash(req: Request): string {
  const body = typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body ?? null);
  return createHash('sha256').update(`${req.method} ${req.path}\n`).update(body).digest('hex');
}

async function handle(
  spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>,
  app: AppContext,
  req: Request,
  res: Response,
): Promise<void> {
  const requestId = res.locals.requestId as string;
  let principal: Principal | undefined;
  try {
    principal = await authenticateRequest(app, req);
    res.locals.principal = principal;
    if (!spec.roles.includes(principal.role)) {
      throw new DomainError('forbidden', `this needs the role ${spec.roles.join(' or ')}; you are ${principal.role}`);
    }
    const params = parsePart(spec.params, req.params, 'the path');
    const query = parsePart(spec.query, req.query, 'the query');
    // A body of a media type the route declares besides JSON (a CSV, an XLSX workbook) is the handler's to read.
    const declaredFile = Object.keys(spec.extraRequestContent ?? {}).some((type) => req.is(type));
    const body = declaredFile ? req.body : parsePart(spec.body, req.body, 'the body');
    const base = { principal, params, query, body, app, req };
    const auditRow = (db: Queryable, status: number) =>
      recordAudit(db, {
        principalId: principal!.id,
        requestId,
        method: req.method,
        path: req.originalUrl,
        status,
        action: `${spec.method.toUpperCase()} ${spec.path}`,
        ...(req.get('idempotency-key') ? { detail: { idempotencyKey: req.get('idempotency-key') } } : {}),
      });

    if (!MUTATING.has(spec.method)) {
      const result = await spec.handler({
        ...base,
        db: app.pool,
        audit: (action, detail) => recordAudit(app.pool, { principalId: principal!.id, requestId, action, ...(detail ? { detail } : {}) }),
      });
      send(res, result);
      res.locals.auditAfterResponse = true;
      return;
    }

    const idempotencyKey = spec.method === 'post' ? req.get('idempotency-key') : undefined;
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      throw new DomainError('validation_failed', 'Idempotency-Key must be 1–200 visible ASCII characters', [
        { path: 'Idempotency-Key', message: 'must be 1–200 visible ASCII characters' },
      ]);
    }
    const client = await app.pool.connect();
    let result: RouteResult;
    try {
      await client.query('begin');
      if (idempotencyKey !== undefined) {
        const hash = requestHash(req);
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
          if (record.request_hash !== hash) {
            throw new DomainError('idempotency_conflict', `Idempotency-Key ${idempotencyKey} was used for a different request`);
          }
          res.setHeader('Idempotent-Replayed', 'true');
          send(res, { status: record.status, body: record.response });
          res.locals.auditAfterResponse = true;
          return;
        }
      }
      result = await spec.handler({
        ...base,
        db: client,
        audit: (action, detail) => recordAudit(client, { principalId: principal!.id, requestId, action, ...(detail ? { detail } : {}) }),
      });
      if (idempotencyKey !== undefined) {
        await client.query(`update idempotency_record set status = $3, response = $4 where principal_id = $1 and key = $2`, [
          principal.id,
          idempotencyKey,
          result.status,
          serialize(result.body ?? null),
        ]);
      }
      await auditRow(client, result.status);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    send(res, result);
  } catch (error) {
    res.locals.auditAfterResponse = true;
    throw error;
  }
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

/** Express error middleware: domain errors → problem+json; body-parser errors → 400/413; anything else → 500. */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (error instanceof DomainError) {
      sendProblem(res, problemFor(error));
      return;
    }
    if (error instanceof SubsidyError) {
      // Every subsidy refusal is about the request's data (a policy, a parameter left unset, a missing rate): 422.
      const { errors: _errors, ...details } = error.details;
      sendProblem(res, {
        type: `urn:ip-pledge:problem:${error.code}`,
        title: error.code.replace(/_/g, ' '),
        status: 422,
        detail: error.message,
        code: error.code,
        ...(error.errors.length > 0 ? { errors: error.errors } : {}),
        ...details,
      });
      return;
    }
    const parserError = error as { type?: string; status?: number; message?: string };
    if (parserError.type === 'entity.parse.failed') {
      sendProblem(res, {
        type: 'urn:ip-pledge:problem:malformed_body',
        title: 'Malformed request body',
        status: 400,
        detail: `the body is not valid JSON: ${parserError.message}`,
        code: 'malformed_body',
        errors: [{ path: '(body)', message: 'not valid JSON' }],
      });
      return;
    }
    if (parserError.type === 'entity.too.large') {
      sendProblem(res, {
        type: 'urn:ip-pledge:problem:body_too_large',
        title: 'Request body too large',
        status: 413,
        detail: parserError.message ?? 'the request body is larger than allowed',
        code: 'body_too_large',
      });
      return;
    }
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      sendProblem(res, {
        type: 'urn:ip-pledge:problem:bad_request',
        title: 'Bad request',
        status: parserError.status,
        detail: parserError.message ?? 'bad request',
        code: 'bad_request',
      });
      return;
    }
    logger.error({ err: error, requestId: res.locals.requestId, path: req.originalUrl }, 'unhandled error');
    sendProblem(res, {
      type: 'urn:ip-pledge:problem:internal',
      title: 'Internal error',
      status: 500,
      detail: `something went wrong on our side; quote request id ${res.locals.requestId}`,
      code: 'internal',
    });
  };
}

// ---------------------------------------------------------------------------------------------------------------
// OpenAPI 3.1, from the same zod schemas.

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
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
