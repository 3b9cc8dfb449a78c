/**
 * Security headers on every answer. The console's policy allows what its Vite build needs and nothing else: its own
 * scripts and styles, antd's run-time <style> elements ('unsafe-inline' for styles only), fonts and images of its own
 * or inlined as data: URIs, blob: downloads, calls to this origin's API. No page may frame it. The API's answers are
 * data, never a document: their policy allows nothing, and nothing of them is stored by a browser or a proxy.
 */
import type { RequestHandler } from 'express';

export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The paths whose answers are data (never cached, never a document): the API, the OpenAPI document, health, metrics. */
const isDataPath = (path: string) =>
  path === '/api' || path.startsWith('/api/') || path === '/openapi.json' || path === '/healthz' || path === '/metrics';

export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    const data = isDataPath(req.path);
    res.setHeader('Content-Security-Policy', data ? API_CONTENT_SECURITY_POLICY : CONSOLE_CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // frame-ancestors for browsers that read CSP, X-Frame-Options for the others.
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    // Answers carry tokens' owners' data (loans, amounts): no browser or proxy cache keeps them. The console's own
    // files set their caching when served (hashed assets for good, index.html revalidated).
    if (data) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
