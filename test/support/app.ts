/**
 * A service of this test file's own: a fresh database, the express app on it, and principals to call it with.
 */
import type express from 'express';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/log';
import { createBank, createPrincipal, ensureBootstrapPrincipal, type Role } from '../../src/principals';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestService {
  db: TestDatabase;
  app: express.Express;
  staffToken: string;
  /** A new principal with that role (bank principals get a new bank unless one is given). */
  principal(role: Role, options?: { bankId?: string; body?: string; name?: string }): Promise<{ id: string; token: string; bankId: string | null }>;
  /** A new partner bank and a bank principal for it. */
  bank(code?: string): Promise<{ bankId: string; token: string; principalId: string }>;
  as(token: string): AuthorisedAgent;
  close(): Promise<void>;
}

type Verb = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type AuthorisedAgent = Record<Verb, (path: string) => request.Test>;

const STAFF_TOKEN = 'ipl_test_bootstrap_staff_token_0123456789';
let bankCounter = 0;

export async function startTestService(): Promise<TestService> {
  const db = await createTestDatabase();
  await ensureBootstrapPrincipal(db.pool, STAFF_TOKEN);
  const app = createApp({ pool: db.pool, logger: createLogger('silent') });
  const as = (token: string): AuthorisedAgent => {
    const agent = request(app);
    const wrap = (verb: Verb) => (path: string) => agent[verb](path).set('Authorization', `Bearer ${token}`);
    return { get: wrap('get'), post: wrap('post'), put: wrap('put'), patch: wrap('patch'), delete: wrap('delete') };
  };
  const service: TestService = {
    db,
    app,
    staffToken: STAFF_TOKEN,
    async principal(role, options = {}) {
      let bankId = options.bankId ?? null;
      if (role === 'bank' && !bankId) bankId = (await service.bank()).bankId;
      const created = await createPrincipal(
        db.pool,
        { name: options.name ?? `${role} principal`, role, bankId: bankId ?? undefined, body: options.body ?? (role === 'finance' ? 'city' : undefined) },
        null,
      );
      return { id: created.principal.id, token: created.token, bankId };
    },
    async bank(code) {
      bankCounter += 1;
      const bank = await createBank(db.pool, { code: code ?? `B${process.pid}${bankCounter}`, name: `测试银行${bankCounter}` });
      const created = await createPrincipal(db.pool, { name: `${bank.code} system`, role: 'bank', bankId: bank.id }, null);
      return { bankId: bank.id, token: created.token, principalId: created.principal.id };
    },
    as,
    close: () => db.drop(),
  };
  return service;
}
