import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes the first staff token to its file, readable by the service's user only (0600) — also when the file existed
 * before with wider permissions: `writeFileSync`'s mode applies only to a file it creates.
 */
export function writeTokenFile(file: string, token: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
