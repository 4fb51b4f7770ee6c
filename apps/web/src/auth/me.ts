import { queryOptions, useQuery } from '@tanstack/react-query';
import { accessToken, api, data, takeRenewedAccount, type Schemas } from '../api';

export type Me = Schemas['UserDto'];
export type Role = Me['assignments'][number]['role'];

/**
 * The account that came with the session's renewal is kept where the service worker keeps /auth/me's answer
 * (sw/sw.js), so the trainer's app opens with it next time, also offline, as if it had been asked for.
 */
function keepAccount(account: Me): void {
  if (!('caches' in window)) return;
  const answer = new Response(JSON.stringify(account), { headers: { 'content-type': 'application/json' } });
  void caches
    .open('lantoa-api')
    .then((cache) => cache.put('/api/v1/auth/me', answer))
    .catch(() => undefined);
}

export const meQuery = queryOptions({
  queryKey: ['me'],
  // The session's renewal answers with the account: no round trip of its own then (2 s on a slow 3G line).
  queryFn: async (): Promise<Me> => {
    await accessToken().catch(() => null);
    const renewed = takeRenewedAccount<Me>();
    if (!renewed) return data(api.GET('/api/v1/auth/me'));
    keepAccount(renewed);
    return renewed;
  },
  staleTime: 60_000,
});

export function useMe(enabled = true) {
  return useQuery({ ...meQuery, enabled });
}

export function hasRole(me: Me | undefined, ...roles: Role[]): boolean {
  return !!me?.assignments.some((a) => roles.includes(a.role));
}

/**
 * The units where the user may read the campaign's figures (steering and viewer roles), root of the unit
 * picker; null for an administrator, who reads everything.
 */
export function readableUnits(me: Me): { code: string; fullName: string }[] | null {
  if (hasRole(me, 'admin')) return null;
  return me.assignments
    .filter((a) => (a.role === 'steering' || a.role === 'viewer') && a.unit)
    .map((a) => a.unit!);
}
