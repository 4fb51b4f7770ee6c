import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, data, type Schemas } from '../api';

export type Me = Schemas['UserDto'];
export type Role = Me['assignments'][number]['role'];

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: () => data(api.GET('/api/v1/auth/me')),
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
