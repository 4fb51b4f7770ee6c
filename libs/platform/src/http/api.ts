/** Versioned REST resources live under this prefix; public pages (/health, /docs, /verify …) do not. */
export const API_PREFIX = 'api/v1';
