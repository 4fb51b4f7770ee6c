import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, data, type Schemas } from '../api';
import { useMe } from '../auth';
import { usePrograms } from '../campaign';
import { onSynced } from './sync';

export type ClassItem = Schemas['ClassDto'];
export type Enrolment = Schemas['EnrolmentDto'];
export type Sheet = Schemas['AttendanceSheetDto'];

// The trainer's data is kept longer (it is what the phone shows offline, from the service worker's copy).
const KEEP = 24 * 60 * 60_000;

export function useMyClasses() {
  return useQuery({
    queryKey: ['classes', 'mine'],
    queryFn: () => data(api.GET('/api/v1/classes', { params: { query: { limit: 200 } } })),
    gcTime: KEEP,
  });
}

export function useClass(id: string) {
  return useQuery({
    queryKey: ['class', id],
    queryFn: () => data(api.GET('/api/v1/classes/{id}', { params: { path: { id } } })),
    gcTime: KEEP,
  });
}

export function useEnrolments(id: string) {
  return useQuery({
    queryKey: ['class', id, 'enrolments'],
    queryFn: () => data(api.GET('/api/v1/classes/{id}/enrolments', { params: { path: { id } } })),
    gcTime: KEEP,
  });
}

export function useSheet(id: string, refetchInterval?: number) {
  return useQuery({
    queryKey: ['class', id, 'sheet'],
    queryFn: () => data(api.GET('/api/v1/classes/{id}/attendance', { params: { path: { id } } })),
    gcTime: KEEP,
    refetchInterval,
  });
}

/** After the outbox was sent, the server's view of the classes is read again. */
export function useRefreshOnSync(): void {
  const client = useQueryClient();
  useEffect(
    () =>
      onSynced(() => {
        void client.invalidateQueries({ queryKey: ['class'] });
        void client.invalidateQueries({ queryKey: ['classes'] });
      }),
    [client],
  );
}

/** The signed-in trainer's own record in the first program (null when the user is not a trainer there). */
export function useMyTrainer() {
  const me = useMe();
  const programs = usePrograms();
  const program = programs.data?.items[0];
  const personId = me.data?.personId;
  const query = useQuery({
    queryKey: ['trainer', 'me', program?.id, personId],
    enabled: !!program && !!personId,
    queryFn: async () => {
      const page = await data(
        api.GET('/api/v1/programs/{id}/trainers', {
          params: { path: { id: program!.id }, query: { limit: 500 } },
        }),
      );
      return page.items.find((t) => t.person.id === personId) ?? null;
    },
    gcTime: KEEP,
  });
  return {
    program,
    trainer: query.data,
    isPending: programs.isPending || (query.isPending && !!personId),
    error: programs.error ?? query.error,
  };
}
