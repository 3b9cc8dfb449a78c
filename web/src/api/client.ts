/**
 * The only way the console talks to the API: openapi-fetch typed by `schema.ts`, which `npm run web:api` generates
 * from the service's own route declarations (a stale copy fails `test/web.api.test.ts`).
 */
import createClient from 'openapi-fetch';
import { readToken } from '../auth/token';
import type { paths } from './schema';

/** problem+json (RFC 9457) as every route documents it; `errors[].path` names the bad field ("pledges.0.number"). */
export type Problem = paths['/api/v1/me']['get']['responses'][401]['content']['application/problem+json'];

export const api = createClient<paths>({ baseUrl: '' });

/** Called when the API says the token is no longer valid (revoked while the tab was open). */
let onUnauthenticated: () => void = () => undefined;
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

api.use({
  onRequest({ request }) {
    const token = readToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthenticated();
    return response;
  },
});

/** A fresh Idempotency-Key for one submission of a form: a retry of the same submission cannot create twice. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}

/** A problem for failures that never reached the API (network down, service stopped). */
export function networkProblem(error: unknown): Problem {
  return {
    type: 'about:blank',
    title: '网络错误',
    status: 0,
    code: 'network',
    // The browser's own words ("Failed to fetch") are not for clerks: the catalogue's sentence is shown (code network).
    detail: `network: ${error instanceof Error ? error.message : String(error)}`,
  };
}
