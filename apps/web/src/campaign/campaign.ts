import { queryOptions, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { api, data, type Schemas } from '../api';
import { readableUnits, useMe } from '../auth';
import { formatDay, formatPeriod, periodYear, vietnamToday } from '../ui';

export type KpiView = 'recorded' | 'current';
export type Program = Schemas['ProgramDto'];

/** What every campaign page is about: a program, a unit, a period and a view — all kept in the URL. */
export interface Campaign {
  programId: string;
  unit: string;
  /** For a unit that has ended (a merged commune): a day it carried its code. */
  unitAsOf?: string;
  period: string;
  view: KpiView;
}

/** The unit of a campaign as the KPI endpoints take it (with the day, for an ended unit). */
export function unitQuery(c: Campaign): { unit: string; unitAsOf?: string } {
  return c.unitAsOf ? { unit: c.unit, unitAsOf: c.unitAsOf } : { unit: c.unit };
}

export const programsQuery = queryOptions({
  queryKey: ['programs'],
  queryFn: () => data(api.GET('/api/v1/programs', { params: { query: { limit: 100 } } })),
  staleTime: 5 * 60_000,
});

export function usePrograms() {
  return useQuery(programsQuery);
}

/**
 * The campaign the page shows, from the URL's search parameters; missing ones get their defaults (the
 * first program, the user's own unit, this year in Vietnam, the as-recorded view) and are written into the
 * URL, so that a link copied from the address bar opens the same view for a colleague.
 */
export function useCampaign() {
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const programs = usePrograms();
  const program =
    programs.data?.items.find((p) => p.id === params.get('program')) ?? programs.data?.items[0] ?? null;

  const defaults = useMemo(() => {
    if (!me.data || !program) return null;
    const own = readableUnits(me.data);
    return {
      unit: own?.[0]?.code ?? program.ownerUnit.code,
      period: vietnamToday().slice(0, 4),
    };
  }, [me.data, program]);

  const campaign: Campaign | null =
    program && defaults
      ? {
          programId: program.id,
          unit: params.get('unit') ?? defaults.unit,
          ...(params.get('unitAsOf') ? { unitAsOf: params.get('unitAsOf')! } : {}),
          period: params.get('period') ?? defaults.period,
          view: params.get('view') === 'current' ? 'current' : 'recorded',
        }
      : null;

  useEffect(() => {
    if (!campaign) return;
    if (params.get('program') && params.get('unit') && params.get('period') && params.get('view')) return;
    const next = new URLSearchParams(params);
    next.set('program', campaign.programId);
    next.set('unit', campaign.unit);
    next.set('period', campaign.period);
    next.set('view', campaign.view);
    setParams(next, { replace: true });
  });

  function change(patch: Partial<Campaign>, extra: Record<string, string | null> = {}) {
    const next = new URLSearchParams(params);
    const names: Record<keyof Campaign, string> = {
      programId: 'program',
      unit: 'unit',
      unitAsOf: 'unitAsOf',
      period: 'period',
      view: 'view',
    };
    // Another unit is today's unit with that code, unless the day is given with it.
    if (patch.unit !== undefined && !('unitAsOf' in extra)) next.delete('unitAsOf');
    for (const [key, value] of Object.entries(patch)) next.set(names[key as keyof Campaign], String(value));
    for (const [key, value] of Object.entries(extra)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  }

  return {
    campaign,
    program,
    programs: programs.data?.items ?? [],
    loading: me.isPending || programs.isPending,
    error: programs.error ?? me.error,
    change,
    params,
  };
}

/** The search string that carries a campaign to another page. */
export function campaignSearch(campaign: Campaign, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    program: campaign.programId,
    unit: campaign.unit,
    ...(campaign.unitAsOf ? { unitAsOf: campaign.unitAsOf } : {}),
    period: campaign.period,
    view: campaign.view,
    ...extra,
  });
  return `?${params.toString()}`;
}

/**
 * The periods a program's figures can be read for: its years, their quarters, the months of one year, its
 * phases, and cumulative spans from its start to the end of each year; a period opened from a link that is
 * none of these (a span of days) is offered as it is.
 */
export function periodOptions(
  program: Program,
  current: string,
): { group: string; options: { value: string; label: string }[] }[] {
  const first = Number(program.startsOn.slice(0, 4));
  const last = Number(program.endsOn.slice(0, 4));
  const years: string[] = [];
  for (let y = first; y <= last; y++) years.push(String(y));
  const year = periodYear(current, vietnamToday().slice(0, 4));
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const groups = [
    { group: 'Năm', options: years.map((y) => ({ value: y, label: `Năm ${y}` })) },
    {
      group: 'Quý',
      options: years.flatMap((y) =>
        [1, 2, 3, 4].map((q) => ({ value: `${y}-Q${q}`, label: formatPeriod(`${y}-Q${q}`) })),
      ),
    },
    {
      group: `Tháng trong năm ${year}`,
      options: months.map((m) => ({ value: m, label: formatPeriod(m) })),
    },
    {
      group: 'Giai đoạn của chương trình',
      options: program.phases.map((phase, i) => ({
        value: `P${i + 1}`,
        label: `Giai đoạn ${i + 1}: ${phase.name} (${formatDay(phase.startsOn)} – ${formatDay(phase.endsOn)})`,
      })),
    },
    {
      group: 'Lũy kế từ đầu chương trình',
      options: years.map((y) => ({ value: `..${y}`, label: formatPeriod(`..${y}`) })),
    },
  ].filter((g) => g.options.length);
  if (!groups.some((g) => g.options.some((o) => o.value === current))) {
    groups.push({ group: 'Kỳ đang xem', options: [{ value: current, label: formatPeriod(current) }] });
  }
  return groups;
}
