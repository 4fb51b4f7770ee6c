import { useQuery } from '@tanstack/react-query';
import { api, data } from '../api';

/** A unit with its ancestors: today's, or as it stood on `asOf` (a unit that has since ended). */
export function useUnit(code: string | undefined, asOf?: string) {
  return useQuery({
    queryKey: ['unit', code, asOf ?? null],
    queryFn: () =>
      data(
        api.GET('/api/v1/units/{code}', {
          params: { path: { code: code! }, query: asOf ? { asOf } : {} },
        }),
      ),
    enabled: !!code,
    staleTime: 10 * 60_000,
  });
}

export function useChildUnits(code: string | null) {
  return useQuery({
    queryKey: ['units', 'children', code],
    queryFn: () =>
      data(
        api.GET('/api/v1/units', { params: { query: { ...(code ? { parent: code } : {}), limit: 500 } } }),
      ),
    staleTime: 10 * 60_000,
  });
}

export function useUnitSearch(q: string, within: string | null) {
  const text = q.trim();
  return useQuery({
    queryKey: ['units', 'search', text, within],
    queryFn: () =>
      data(
        api.GET('/api/v1/units/search', {
          params: { query: { q: text, limit: 20, ...(within ? { within } : {}) } },
        }),
      ),
    enabled: text.length >= 2,
    staleTime: 10 * 60_000,
  });
}
