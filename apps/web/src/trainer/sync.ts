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
  isMine,
  outboxOwner,
  type OutboxItem,
  type OutboxMark,
  type OutboxWalkIn,
  type SimilarPerson,
} from './outbox';
import { flatPerson, type PersonHit } from './offline-people';

const BATCH = 200;
const LAST_SYNC = 'lastSync';

let running: Promise<void> | null = null;
const afterSync = new Set<() => void>();

/** Called after a run that sent something (pages refresh the server's state). */
export function onSynced(listener: () => void): () => void {
  afterSync.add(listener);
  return () => afterSync.delete(listener);
}

/**
 * The people rules' likely duplicates of a new person (same CCCD, same phone, or same name, birth year and
 * commune), as the registration form looks them up before saving online.
 */
export async function findSimilar(input: {
  fullName: string;
  birthYear: number;
  phone?: string;
  cccd?: string;
  communeName: string;
}): Promise<SimilarPerson[]> {
  const name = input.fullName.trim();
  const terms = [input.cccd ?? '', input.phone ?? '', name].map((t) => t.trim()).filter((t) => t.length >= 2);
  const hits = new Map<string, SimilarPerson>();
  for (const q of terms) {
    const page = await data(api.GET('/api/v1/people', { params: { query: { q, limit: 10 } } }));
    for (const p of page.items as PersonHit[]) {
      const byName = q === name;
      if (byName && !(p.birthYear === input.birthYear && p.commune.fullName === input.communeName)) continue;
      hits.set(p.id, flatPerson(p));
    }
  }
  return [...hits.values()];
}

function enrolmentBody(item: OutboxWalkIn) {
  if (item.mode === 'enrol') return { personId: item.existingPersonId! };
  if (item.mode === 'register') {
    if (item.choice && item.choice !== 'new') return { personId: item.choice };
    const p = item.person!;
    return {
      person: {
        fullName: item.fullName,
        birthYear: item.birthYear,
        gender: p.gender,
        communeCode: p.communeCode,
        segment: p.segment,
        ...(item.phone ? { phone: item.phone } : {}),
        ...(p.cccd ? { cccd: p.cccd } : {}),
      },
    };
  }
  return {
    walkIn: {
      fullName: item.fullName,
      birthYear: item.birthYear,
      ...(item.phone ? { phone: item.phone } : {}),
    },
  };
}

/**
 * Sends one enrolment made on the phone and gives its learner's marks the server's person id. A full
 * registration is first checked for likely duplicates: when some are found it waits for the trainer's
 * choice (enrol one of them, or register anyway) and its marks with it.
 */
async function sendWalkIn(
  item: OutboxWalkIn,
  items: OutboxItem[],
  classUnit: Map<string, string>,
): Promise<boolean> {
  if (item.mode === 'register' && !item.checked) {
    const similar = await findSimilar({
      fullName: item.fullName,
      birthYear: item.birthYear,
      phone: item.phone,
      cccd: item.person?.cccd,
      communeName: classUnit.get(item.classId) ?? '',
    });
    item.checked = true;
    if (similar.length) item.similar = similar;
    await putItems([item]);
  }
  if (item.mode === 'register' && item.similar?.length && !item.choice) return false;
  // An earlier run may have made the enrolment and lost the answer: the class list tells.
  const enrolled = await data(
    api.GET('/api/v1/classes/{id}/enrolments', { params: { path: { id: item.classId } } }),
  );
  const wanted =
    item.mode === 'enrol' ? item.existingPersonId : item.choice !== 'new' ? item.choice : undefined;
  const same = enrolled.find((e) =>
    wanted
      ? e.person.id === wanted
      : e.walkIn === (item.mode !== 'register') &&
        e.person.fullName === item.fullName &&
        e.person.birthYear === item.birthYear,
  );
  let personId = same?.person.id;
  if (!personId) {
    const {
      data: body,
      error,
      response,
    } = await api.POST('/api/v1/classes/{id}/enrolments', {
      params: { path: { id: item.classId } },
      body: enrolmentBody(item),
    });
    if (!response.ok) {
      const problem = ApiError.fromResponse(response, error);
      if (problem.status === 0 || problem.status >= 500) throw problem;
      // Refused for good (class full, bad data, a CCCD already registered): say so and keep its marks back.
      item.error = problem.fields[0]?.reason ?? problem.message;
      item.sent = true;
      await putItems([item]);
      return true;
    }
    personId = body!.person.id;
  }
  item.sent = true;
  item.personId = personId;
  const marks = items.filter((i): i is OutboxMark => i.kind === 'mark' && i.personId === item.localPersonId);
  for (const mark of marks) mark.personId = personId;
  await putItems([item, ...marks]);
  return true;
}

async function run(): Promise<void> {
  // Only the signed-in user's items leave the phone: another user's wait for them.
  if (!outboxOwner()) return;
  let items = (await allItems()).filter(isMine);
  let sent = false;
  const waiting = items.filter((i): i is OutboxWalkIn => i.kind === 'walkin' && !i.sent);
  if (waiting.length) {
    const classes = await data(api.GET('/api/v1/classes', { params: { query: { limit: 200 } } }));
    const classUnit = new Map(classes.items.map((c) => [c.id, c.unit.fullName]));
    for (const item of waiting) if (await sendWalkIn(item, items, classUnit)) sent = true;
  }
  items = (await allItems()).filter(isMine);
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

/** The trainer's answer to a duplicate warning: enrol the person chosen, or register the new one anyway. */
export async function resolveSimilar(item: OutboxWalkIn, choice: string): Promise<void> {
  item.choice = choice;
  const chosen = item.similar?.find((p) => p.id === choice);
  if (chosen) {
    item.fullName = chosen.fullName;
    item.birthYear = chosen.birthYear;
  }
  await putItems([item]);
  notifyOutbox();
  await syncNow();
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
  /** Changes another user made on this phone, not sent while someone else is signed in. */
  others: number;
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
    others: 0,
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
      const mine = items.filter(isMine);
      if (active)
        setState({
          online: navigator.onLine,
          pending: pendingCount(mine),
          others: pendingCount(items) - pendingCount(mine),
          lastSync: lastSync ?? null,
          lastError: lastError ?? null,
          items: mine,
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
