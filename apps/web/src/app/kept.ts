import type { QueryClient } from '@tanstack/react-query';

/** The addresses of the trainer's phone app, the pages meant to open without a network. */
export const TRAINER_PATH = /^\/(lop|tiep-can)(\/|$)/;

/** The service worker's copy of the API answers a trainer needs offline (sw/sw.js). */
const KEPT = 'lantoa-api';

/** The kept answers the first page draws: the account, the classes, the programs. */
export const KEPT_PATHS = ['/api/v1/auth/me', '/api/v1/classes?limit=200', '/api/v1/programs?limit=100'];

declare global {
  interface Window {
    /** KEPT_PATHS' kept answers, read by the document itself while the scripts arrive (boot/boot.js). */
    __lantoaKept?: Promise<unknown[]>;
  }
}

async function kept(path: string): Promise<unknown> {
  const response = await caches.match(path, { cacheName: KEPT, ignoreVary: true });
  return response ? ((await response.json()) as unknown) : undefined;
}

/**
 * On a trainer's address, the account and the classes the service worker kept are put in the query cache
 * before any network answer, marked old, so the page draws them at once and refreshes them when the
 * session's renewal returns (on slow 3G, seconds later; in airplane mode, never). Signing out deletes the
 * copy, so what is shown is the last signed-in user's. True when there was a kept account.
 */
export async function seedKept(client: QueryClient): Promise<boolean> {
  if (!TRAINER_PATH.test(window.location.pathname) || !('caches' in window)) return false;
  // No session cookie: the user must sign in first, nothing kept is shown.
  if (!document.cookie.split('; ').some((c) => c.startsWith('lantoa_csrf='))) return false;
  try {
    const [me, classes, programs] = await (window.__lantoaKept ?? Promise.all(KEPT_PATHS.map(kept)));
    if (!me) return false;
    // updatedAt 1: older than any staleTime, so every page that uses them asks the server again.
    client.setQueryData(['me'], me, { updatedAt: 1 });
    if (classes) client.setQueryData(['classes', 'mine'], classes, { updatedAt: 1 });
    if (programs) client.setQueryData(['programs'], programs, { updatedAt: 1 });
    return true;
  } catch {
    return false;
  }
}
