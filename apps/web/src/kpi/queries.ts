import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data, type Schemas } from '../api';
import type { Campaign } from '../campaign';

export type Kpi = Schemas['KpiDto'];
export type Indicator = Kpi['indicators'][number];

export function useKpi(c: Campaign) {
  return useQuery({
    queryKey: ['kpi', c.programId, c.unit, c.period, c.view],
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/kpi', {
          params: { path: { id: c.programId }, query: { unit: c.unit, period: c.period, view: c.view } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
