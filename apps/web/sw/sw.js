/*
 * Lan Tỏa's service worker: the app opens and works without a network after one online visit.
 *
 * - The app shell (index.html and every file of the build, listed at build time in PRECACHE) is cached on
 *   install; pages are answered network-first with the cached index.html as the fallback.
 * - The API reads a trainer needs offline (the account, programs, classes, sessions, rosters, attendance,
 *   trainers and reach) are answered network-first and their last answer kept; offline the kept answer is
 *   given back. Writes are never cached: marks and walk-ins wait in the page's outbox (IndexedDB).
 * - Signing out deletes the kept answers (the page deletes the cache).
 */
/* global self, caches, fetch, URL, Response */
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const SHELL = `lantoa-shell-${VERSION}`;
const DATA = 'lantoa-api';
const KEPT_API = [
  /^\/api\/v1\/auth\/me$/,
  /^\/api\/v1\/programs$/,
  /^\/api\/v1\/classes$/,
  /^\/api\/v1\/classes\/[0-9a-f-]{36}$/,
  /^\/api\/v1\/classes\/[0-9a-f-]{36}\/(enrolments|attendance)$/,
  /^\/api\/v1\/programs\/[0-9a-f-]{36}\/trainers$/,
  /^\/api\/v1\/programs\/[0-9a-f-]{36}\/trainers\/[0-9a-f-]{36}\/(reach|trainees|standing)$/,
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(['/index.html', ...PRECACHE]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('lantoa-shell-') && k !== SHELL).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request, cacheName, fallbackKey) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(fallbackKey ?? request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(fallbackKey ?? request, { ignoreVary: true });
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL)).put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Server pages (certificate verification, QR check-in, API documents) are not the app's.
    if (/^\/(api|docs|health|verify|checkin)(\/|$)/.test(url.pathname)) return;
    event.respondWith(networkFirst(request, SHELL, '/index.html'));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (KEPT_API.some((pattern) => pattern.test(url.pathname))) {
    event.respondWith(networkFirst(request, DATA));
  }
});
