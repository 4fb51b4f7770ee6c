import createClient from 'openapi-fetch';
import { accessToken, tokenRefused } from './session';
import { ApiError } from './problem';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

declare global {
  interface Window {
    /** Reads the document started itself (boot/boot.js), by path and query: each taken once. */
    __lantoaPrefetch?: Record<string, Promise<Response | null>>;
  }
}

async function prefetched(request: Request): Promise<Response | null> {
  const kept = window.__lantoaPrefetch;
  if (!kept || request.method !== 'GET') return null;
  const url = new URL(request.url);
  const key = url.pathname + url.search;
  if (!(key in kept)) return null;
  const early = kept[key];
  delete kept[key];
  const response = await early;
  return response?.ok ? response : null;
}

/** Sends a request with the session's access token; a refused token is renewed once and the call retried. */
async function authorisedFetch(request: Request): Promise<Response> {
  const early = await prefetched(request);
  if (early) return early;
  const retry = request.clone();
  // Offline the session cannot be renewed: the request goes without a token and the service worker answers
  // from the copy it kept (the trainer's classes and rosters), or the network error stands.
  const token = await accessToken().catch(() => null);
  if (token) request.headers.set('authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(request);
    if (response.status === 401 && token) {
      const renewed = await tokenRefused();
      if (renewed) {
        retry.headers.set('authorization', `Bearer ${renewed}`);
        response = await fetch(retry);
      }
    }
  } catch {
    throw ApiError.network();
  }
  return response;
}

/** The typed client, generated from the server's OpenAPI document (src/api/schema.ts). */
export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: authorisedFetch });

/** The data of a call, or its problem thrown as an ApiError. */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data: body, error, response } = await call;
  if (!response.ok) throw ApiError.fromResponse(response, error);
  return body as T;
}

/** Downloads a file from the API with the session's token and hands it to the browser as a download. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const response = await authorisedFetch(new Request(new URL(path, window.location.origin)));
  if (!response.ok) throw ApiError.fromResponse(response, await response.json().catch(() => null));
  const disposition = response.headers.get('content-disposition') ?? '';
  const match = /filename\*=UTF-8''([^;]+)/i.exec(disposition) ?? /filename="?([^";]+)"?/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
