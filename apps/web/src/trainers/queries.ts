import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data } from '../api';

export type LeaderboardSort = 'reach' | 'quota' | 'pace';

export function useLeaderboard(
  programId: string,
  unit: string,
  sort: LeaderboardSort,
  offset: number,
  behind = false,
  enabled = true,
) {
  return useQuery({
    queryKey: ['leaderboard', programId, unit, sort, offset, behind],
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/leaderboard', {
          params: { path: { id: programId }, query: { unit, sort, limit: 50, offset, behind } },
        }),
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useRootTrainers(programId: string, unit: string) {
  return useQuery({
    queryKey: ['trainers', 'roots', programId, unit],
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/trainers', {
          params: { path: { id: programId }, query: { unit, tier: 'provincial_core', limit: 500 } },
        }),
      ),
  });
}

export function useTrainees(programId: string, trainerId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['trainees', programId, trainerId],
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/trainers/{trainerId}/trainees', {
          params: { path: { id: programId, trainerId }, query: { limit: 500 } },
        }),
      ),
    enabled,
  });
}

export function useReach(programId: string, trainerId: string) {
  return useQuery({
    queryKey: ['reach', programId, trainerId],
    queryFn: () =>
      data(
        api.GET('/api/v1/programs/{id}/trainers/{trainerId}/reach', {
          params: { path: { id: programId, trainerId } },
        }),
      ),
    staleTime: 60_000,
  });
}
