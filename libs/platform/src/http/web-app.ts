import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * What the single-page app may load: its own scripts, styles, images and API, nothing from elsewhere, and
 * nothing inline but the one boot script of the build (the trainer's app starts its downloads and session
 * renewal from the document), allowed by its hash (see webAppPolicy). React sets styles through the CSSOM.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The app's policy for a given index.html: its inline scripts (the build's boot script) allowed by hash. */
export function webAppPolicy(index: string): string {
  const hashes = [...index.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`,
  );
  if (!hashes.length) return WEB_APP_CSP;
  return WEB_APP_CSP.replace("script-src 'self'", `script-src 'self' ${hashes.join(' ')}`);
}

/**
 * Paths the server answers itself: never swallowed by the app's client-side routes. A request there that
 * no route takes gets the API's own 404, not the app's HTML.
 */
const SERVER_PATHS = [
  /^\/api(\/|$)/,
  /^\/docs/,
  /^\/health/,
  /^\/verify(\/|$)/,
  /^\/checkin(\/|$)/,
  /^\/\.well-known(\/|$)/,
  /^\/metrics(\/|$)/,
];

const ASSETS = '/assets/';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

function fileInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = normalize(join(root, decoded));
  if (!file.startsWith(root + sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

function sendFile(res: Response, file: string, cacheControl: string): void {
  const extension = file.slice(file.lastIndexOf('.'));
  res.setHeader('Content-Type', TYPES[extension] ?? 'application/octet-stream');
  res.setHeader('Cache-Control', cacheControl);
  // express's sendFile adds ETag/Last-Modified and answers conditional and range requests.
  res.sendFile(file, { lastModified: true, etag: true, dotfiles: 'deny' }, (error) => {
    if (error && !res.headersSent) res.status(404).end();
  });
}

/**
 * Serves the built web app (apps/web/dist) on the API's origin: hashed files under /assets/ cached for a
 * year (a missing one is a 404, never HTML parsed as JavaScript), other files of the build as they are,
 * and every other GET that is not a server path answered with index.html (revalidated on every visit, so
 * a new deployment is picked up at once) for the app's router to handle.
 */
export function webAppHandler(dir: string | null): RequestHandler {
  const root = dir && existsSync(join(dir, 'index.html')) ? normalize(dir) : null;
  const index = root ? readFileSync(join(root, 'index.html')) : null;
  const policy = index ? webAppPolicy(index.toString('utf8')) : WEB_APP_CSP;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = req.path;
    if (SERVER_PATHS.some((pattern) => pattern.test(path))) return next();
    if (!root || !index) {
      if (path !== '/') return next();
      res.status(503).type('text/plain; charset=utf-8');
      res.send('Ứng dụng web chưa được dựng. Hãy chạy: npm run build');
      return;
    }
    if (path.startsWith(ASSETS)) {
      const file = fileInside(root, path);
      if (!file) {
        res.status(404).type('text/plain; charset=utf-8').send('Không tìm thấy tệp.');
        return;
      }
      return sendFile(res, file, 'public, max-age=31536000, immutable');
    }
    const file = path === '/' || path === '/index.html' ? null : fileInside(root, path);
    if (file) {
      // The service worker runs under its own script's policy: the app's, so that it may fetch the app's
      // files and API (the default for other paths, the API's, allows nothing).
      if (path === '/sw.js') res.setHeader('Content-Security-Policy', WEB_APP_CSP);
      return sendFile(res, file, 'no-cache');
    }
    // The other security headers are set for every response (securityHeaders()); the app's policy is its own.
    res.setHeader('Content-Security-Policy', policy);
    res.setHeader('Cache-Control', 'no-cache');
    res.status(200).type('text/html; charset=utf-8').send(index);
  };
}
