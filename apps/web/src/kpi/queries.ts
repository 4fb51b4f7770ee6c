import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data, type Schemas } from '../api';
import { unitQuery, type Campaign } from '../campaign';

export type Kpi = Schemas['KpiDto'];
export type Indicator = Kpi['indicators'][number];

export function useKpi(c: Campaign) {
  return useQuery({
    queryKey: ['kpi', c.programId, c.unit, c.unitAsOf ?? null, c.period, c.view],
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/kpi', {
          params: { path: { id: c.programId }, query: { ...unitQuery(c), period: c.period, view: c.view } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
