import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { PUBLIC_PAGE_CSP } from './html';

/**
 * Swagger UI (at /docs) loads its own files, sets styles inline and shows data: images; it runs no inline
 * script. The only page with a looser policy, and it holds no personal data.
 */
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** API answers are data, never documents: nothing may load from, run in or frame them. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

function policyFor(path: string): string {
  if (/^\/(checkin|verify)(\/|$)/.test(path)) return PUBLIC_PAGE_CSP;
  if (/^\/docs/.test(path)) return DOCS_CSP;
  return API_CSP;
}

/**
 * The headers helmet would set, on every response: no MIME sniffing, no framing, no referrer (check-in and
 * verification links carry their token in the path), no cross-origin window handle, HSTS when the service
 * is reached over HTTPS (COOKIE_SECURE), and a Content-Security-Policy per kind of page — the web app's own
 * (set where index.html is served) replaces the default. API answers carry personal data and are never
 * stored by a browser or a proxy (`no-store`, which also covers every login and token response); a route
 * that may be cached says so itself.
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', policyFor(req.path));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(self), geolocation=(), microphone=(), payment=()');
    if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (/^\/api(\/|$)/.test(req.path)) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
