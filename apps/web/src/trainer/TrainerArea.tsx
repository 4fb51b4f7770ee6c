import { Suspense, useEffect } from 'react';
import { Outlet } from 'react-router';
import { Loading } from '../ui';
import { useRefreshOnSync } from './queries';
import { SyncBar } from './SyncBar';
import { useSyncSchedule, useSyncState } from './sync';

/** The frame of the trainer's pages: the sync status on top, the outbox sent whenever it can be. */
export default function TrainerArea() {
  // The service worker keeps the app and the trainer's data for use without a network (sw/sw.js). It is
  // installed from the trainer's pages, the only ones meant to work offline.
  useEffect(() => {
    if (import.meta.env.PROD && 'serviceWorker' in navigator)
      navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  }, []);
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
