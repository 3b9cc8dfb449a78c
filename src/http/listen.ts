/**
 * The HTTP server's own limits, and the one interface it listens on.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

/**
 * A request (headers and body) must arrive within 30 s: the largest batch (32 MB) takes about 13 s at 20 Mbit/s,
 * while a client sending a byte every few seconds would otherwise hold its socket open for five minutes.
 */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Headers within the same 30 s (Node requires headersTimeout ≤ requestTimeout). */
export const HEADERS_TIMEOUT_MS = 30_000;
/** How often Node looks for requests past their timeout: a slow socket is closed 30–35 s after it opened. */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 5_000;

/**
 * An idle keep-alive connection is closed after 65 s, not Node's 5 s: longer than the idle timeout of a load balancer
 * in front (60 s is common) or of a client's pool, so it is they who close it. Closed by the server first, a
 * connection the client is just reusing for a POST is reset under it (ECONNRESET), and a POST is not retried.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Listens on `host:port` with the limits above; resolves once bound, with the address actually bound. */
export function listen(app: express.Express, options: { host: string; port: number }): Promise<{ server: http.Server; address: AddressInfo }> {
  const server = http.createServer(
    { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS },
    app,
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve({ server, address: server.address() as AddressInfo });
    });
  });
}
