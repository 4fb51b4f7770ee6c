import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data, type Schemas } from '../api';
import type { Campaign } from '../campaign';
import { formatPercent } from '../ui';

export type UnitSplit = Schemas['UnitSplitDto'];
export type TrainerSplit = Schemas['TrainerSplitDto'];

/** A share of flagged records (0–1) as a percentage, written as the dashboard writes its others. */
export const formatShare = (share: number) => formatPercent(share * 100);

/** The split takes calendar periods; a cumulative span or a phase shows the figures since the program began. */
export function splitPeriod(period: string): { period?: string } {
  return /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/.test(period) ? { period } : {};
}

/** The unit's figures, and each unit's under it, as all / verified / flagged / excluded people. */
export function useUnitSplit(campaign: Campaign, enabled = true) {
  return useQuery({
    queryKey: ['flags', 'figures', campaign.programId, campaign.unit, campaign.period, campaign.view],
    queryFn: () =>
      data(
        api.GET('/api/v1/flags/figures', {
          params: {
            query: {
              programId: campaign.programId,
              unit: campaign.unit,
              view: campaign.view,
              ...splitPeriod(campaign.period),
            },
          },
        }),
      ),
    enabled,
  });
}

/**
 * Trainers' reach split the same way: a page ranked on verified (or all) reach, or only the trainers named;
 * in a calendar `period`, else since the program began (as the leaderboard counts reach).
 */
export function useTrainerSplit(
  campaign: Campaign,
  options: {
    rank: 'verified' | 'all';
    limit: number;
    offset?: number;
    trainerIds?: string[];
    period?: string;
  },
  enabled = true,
) {
  return useQuery({
    queryKey: ['flags', 'trainers', campaign.programId, campaign.unit, options],
    queryFn: () =>
      data(
        api.GET('/api/v1/flags/trainers', {
          params: { query: { programId: campaign.programId, unit: campaign.unit, ...options } },
        }),
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}
