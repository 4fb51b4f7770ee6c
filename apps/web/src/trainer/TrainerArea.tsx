import { Suspense } from 'react';
import { Outlet } from 'react-router';
import { Loading } from '../ui';
import { useRefreshOnSync } from './queries';
import { SyncBar } from './SyncBar';
import { useSyncSchedule, useSyncState } from './sync';

/** The frame of the trainer's pages: the sync status on top, the outbox sent whenever it can be. */
export default function TrainerArea() {
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
