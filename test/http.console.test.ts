/**
 * The console is served next to the API (src/http/app.ts): web/dist's assets, index.html for any other GET outside
 * /api (so a reload of /ledger finds the app), a short text when the console is not built; /api, /healthz and
 * /openapi.json answer as before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../src/http/app';
import { createLogger } from '../src/log';
import { createTestDatabase, type TestDatabase } from './support/database';

let db: TestDatabase;
let webDist: string;
beforeAll(async () => {
  db = await createTestDatabase();
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
  fs.mkdirSync(path.join(webDist, 'assets'));
  fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>console</title>');
  fs.writeFileSync(path.join(webDist, 'assets', 'index-abc123.js'), 'console.log(1)');
});
afterAll(async () => {
  fs.rmSync(webDist, { recursive: true, force: true });
  await db.drop();
});

const appWith = (dist: string) => createApp({ pool: db.pool, logger: createLogger('silent'), webDist: dist });

describe('the console next to the API', () => {
  it('serves index.html at / and for any page path, never cached', async () => {
    const app = appWith(webDist);
    for (const page of ['/', '/ledger', '/loans/0b5c3c52-3b8e-4a8e-9f53-8d0c4f7c1e11']) {
      const response = await request(app).get(page).expect(200);
      expect(response.text).toContain('<title>console</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets for a year, and a missing asset is a 404, not the app', async () => {
    const app = appWith(webDist);
    const asset = await request(app).get('/assets/index-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await request(app).get('/assets/index-gone.js').expect(404);
  });

  it('leaves /api, /healthz and /openapi.json as they were', async () => {
    const app = appWith(webDist);
    const missing = await request(app).get('/api/v1/nothing-here').expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    await request(app).get('/api/v1/me').expect(401);
    expect((await request(app).get('/healthz').expect(200)).body).toEqual({ status: 'ok', database: 'ok' });
    expect((await request(app).get('/openapi.json').expect(200)).body.openapi).toBe('3.1.0');
  });

  it('says to run the build when web/dist does not exist', async () => {
    const app = appWith(path.join(webDist, 'not-built'));
    const response = await request(app).get('/').expect(503);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toContain('npm run build');
  });
});
