/**
 * Sends the outbox: walk-ins first (each becomes an enrolment and gets its server person id), then the
 * marks in batches through POST /api/v1/attendance/sync. Runs when the trainer area opens, on the browser's
 * `online` event, every 30 seconds and after each mark — not on Background Sync, which not every browser
 * has. One run at a time; a run that fails on the network leaves everything queued for the next.
 */
import { useEffect, useState } from 'react';
import { api, ApiError, data } from '../api';
import {
  allItems,
  getMeta,
  notifyOutbox,
  onOutboxChange,
  putItems,
  setMeta,
  type OutboxItem,
  type OutboxMark,
  type OutboxWalkIn,
} from './outbox';

const BATCH = 200;
const LAST_SYNC = 'lastSync';

let running: Promise<void> | null = null;
const afterSync = new Set<() => void>();

/** Called after a run that sent something (pages refresh the server's state). */
export function onSynced(listener: () => void): () => void {
  afterSync.add(listener);
  return () => afterSync.delete(listener);
}

async function sendWalkIn(item: OutboxWalkIn, items: OutboxItem[]): Promise<void> {
  // An earlier run may have made the enrolment and lost the answer: the class list tells.
  const enrolled = await data(
    api.GET('/api/v1/classes/{id}/enrolments', { params: { path: { id: item.classId } } }),
  );
  const same = enrolled.find(
    (e) => e.walkIn && e.person.fullName === item.fullName && e.person.birthYear === item.birthYear,
  );
  let personId = same?.person.id;
  if (!personId) {
    const {
      data: body,
      error,
      response,
    } = await api.POST('/api/v1/classes/{id}/enrolments', {
      params: { path: { id: item.classId } },
      body: {
        walkIn: {
          fullName: item.fullName,
          birthYear: item.birthYear,
          ...(item.phone ? { phone: item.phone } : {}),
        },
      },
    });
    if (!response.ok) {
      const problem = ApiError.fromResponse(response, error);
      if (problem.status === 0 || problem.status >= 500) throw problem;
      // Refused for good (class full, bad data): say so and keep its marks from being sent.
      item.error = problem.fields[0]?.reason ?? problem.message;
      item.sent = true;
      await putItems([item]);
      return;
    }
    personId = body!.person.id;
  }
  item.sent = true;
  item.personId = personId;
  const marks = items.filter((i): i is OutboxMark => i.kind === 'mark' && i.personId === item.localPersonId);
  for (const mark of marks) mark.personId = personId;
  await putItems([item, ...marks]);
}

async function run(): Promise<void> {
  let items = await allItems();
  let sent = false;
  for (const item of items) {
    if (item.kind === 'walkin' && !item.sent) {
      await sendWalkIn(item, items);
      sent = true;
    }
  }
  items = await allItems();
  const pending = items.filter(
    (i): i is OutboxMark => i.kind === 'mark' && !i.sent && !i.personId.startsWith('local:'),
  );
  for (let start = 0; start < pending.length; start += BATCH) {
    const batch = pending.slice(start, start + BATCH);
    const answer = await data(
      api.POST('/api/v1/attendance/sync', {
        body: {
          marks: batch.map((m) => ({
            clientId: m.clientId,
            sessionId: m.sessionId,
            personId: m.personId,
            status: m.status,
            recordedAt: m.recordedAt,
            baseVersion: m.baseVersion,
          })),
        },
      }),
    );
    batch.forEach((m, i) => {
      m.sent = true;
      m.answer = answer.results[i];
    });
    await putItems(batch);
    sent = true;
  }
  await setMeta(LAST_SYNC, new Date().toISOString());
  if (sent) afterSync.forEach((l) => l());
}

/** Sends what waits, if online; resolves when done (errors are kept for the status bar, not thrown). */
export function syncNow(): Promise<void> {
  if (!navigator.onLine) return Promise.resolve();
  running ??= run()
    .then(() => setMeta('lastError', null))
    .catch((error: unknown) =>
      setMeta('lastError', error instanceof ApiError ? error.message : 'Không gửi được.'),
    )
    .finally(() => {
      running = null;
      notifyOutbox();
    });
  return running;
}

export interface SyncState {
  online: boolean;
  pending: number;
  lastSync: string | null;
  lastError: string | null;
  items: OutboxItem[];
}

export function pendingCount(items: OutboxItem[]): number {
  return items.filter((i) => !i.sent).length;
}

/** The outbox and the network as the page shows them, kept current. */
export function useSyncState(): SyncState {
  const [state, setState] = useState<SyncState>({
    online: navigator.onLine,
    pending: 0,
    lastSync: null,
    lastError: null,
    items: [],
  });
  useEffect(() => {
    let active = true;
    const read = async () => {
      const [items, lastSync, lastError] = await Promise.all([
        allItems(),
        getMeta<string>(LAST_SYNC),
        getMeta<string | null>('lastError'),
      ]);
      if (active)
        setState({
          online: navigator.onLine,
          pending: pendingCount(items),
          lastSync: lastSync ?? null,
          lastError: lastError ?? null,
          items,
        });
    };
    void read();
    const off = onOutboxChange(() => void read());
    const network = () => void read();
    window.addEventListener('online', network);
    window.addEventListener('offline', network);
    return () => {
      active = false;
      off();
      window.removeEventListener('online', network);
      window.removeEventListener('offline', network);
    };
  }, []);
  return state;
}

/** Starts the syncing schedule while the trainer area is open. */
export function useSyncSchedule(): void {
  useEffect(() => {
    void syncNow();
    const online = () => void syncNow();
    window.addEventListener('online', online);
    const timer = window.setInterval(() => void syncNow(), 30_000);
    return () => {
      window.removeEventListener('online', online);
      window.clearInterval(timer);
    };
  }, []);
}
