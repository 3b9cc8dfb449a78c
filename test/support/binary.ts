/** supertest keeps a binary answer (XLSX, PDF) as a Buffer with this parser: `.buffer(true).parse(binary)`. */
import type request from 'supertest';

export function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}
