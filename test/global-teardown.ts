import fs from 'node:fs';
import path from 'node:path';
import { TEST_SERVER_USERS } from './global-setup';

/** Stops the embedded test server unless another test run (a live pid registered by its global setup) still uses it. */
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __testDatabaseServer?: { embedded: boolean; stop(): Promise<void> } }).__testDatabaseServer;
  if (!server?.embedded) return;
  fs.rmSync(path.join(TEST_SERVER_USERS, String(process.pid)), { force: true });
  const others = fs.readdirSync(TEST_SERVER_USERS).filter((name) => {
    const pid = Number(name);
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      fs.rmSync(path.join(TEST_SERVER_USERS, name), { force: true });
      return false;
    }
  });
  if (others.length === 0) await server.stop();
}
