import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect, useRef } from 'react';
import { Outlet } from 'react-router';
import { useMe } from '../auth';
import { Loading } from '../ui';
import { setOutboxOwner } from './outbox';
import { useRefreshOnSync } from './queries';
import { SyncBar } from './SyncBar';
import { syncNow, useSyncSchedule, useSyncState } from './sync';

/** The frame of the trainer's pages: the sync status on top, the outbox sent whenever it can be. */
export default function TrainerArea() {
  // The service worker keeps the app and the trainer's data for use without a network (sw/sw.js). It is
  // installed from the trainer's pages, the only ones meant to work offline.
  useEffect(() => {
    if (import.meta.env.PROD && 'serviceWorker' in navigator)
      navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  }, []);
  // The outbox is the signed-in user's: what another user left on this phone is neither shown nor sent.
  const userId = useMe().data?.id;
  const client = useQueryClient();
  const shown = useRef(userId);
  useEffect(() => {
    // The page started from the copy kept on the phone; the renewed session turned out to be someone else's
    // (signed in elsewhere with VNeID): drop what was drawn for the previous user.
    if (shown.current && userId && shown.current !== userId) {
      for (const key of ['classes', 'class', 'trainer']) client.removeQueries({ queryKey: [key] });
      if ('caches' in window) void caches.delete('lantoa-api');
    }
    shown.current = userId;
    setOutboxOwner(userId);
    if (userId) void syncNow();
  }, [userId, client]);
  useSyncSchedule();
  useRefreshOnSync();
  const state = useSyncState();
  return (
    <div className="trainer-area">
      <SyncBar state={state} />
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </div>
  );
}
