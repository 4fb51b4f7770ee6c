/**
 * The trainer's outbox: every attendance mark and every walk-in registered on the phone is written here
 * first (IndexedDB, so it survives a reload, a closed tab or a phone restart) and sent to the server when
 * the network allows. Marks carry a client id (the server answers a repeated one as `duplicate`, never
 * twice) and the version of the mark the phone displayed (`baseVersion`, see docs/attendance.md).
 */

export type MarkStatus = 'present' | 'late' | 'excused' | 'absent';

export interface SyncAnswer {
  result: string;
  earlierResult?: string;
  reason?: string;
  current?: { status: string; method: string; recordedAt: string; version: number };
}

export interface OutboxMark {
  kind: 'mark';
  clientId: string;
  seq: number;
  /** The user who made it: only they send it (another user signed in on this phone never does). */
  owner?: string;
  classId: string;
  sessionId: string;
  /** A server person id, or a walk-in's local id (`local:…`) until its enrolment is sent. */
  personId: string;
  status: MarkStatus;
  recordedAt: string;
  baseVersion: number;
  sent: boolean;
  answer?: SyncAnswer;
}

/** A person as the people rules' duplicate check shows them. */
export interface SimilarPerson {
  id: string;
  fullName: string;
  birthYear: number;
  commune: string;
  phone: string | null;
  cccd: string | null;
}

/** A new person's full registration, made offline. */
export interface NewPersonData {
  gender: 'female' | 'male' | 'other';
  communeCode: string;
  segment: string;
  cccd?: string;
}

/**
 * An enrolment made on the phone: a walk-in (minimal data, completed later), a full registration of a new
 * person, or an existing person (found among the kept rosters) enrolled. Until it is sent its learner has a
 * local id (`local:…`) that the marks use; at sync the server's person id replaces it.
 */
export interface OutboxWalkIn {
  kind: 'walkin';
  /** Absent on items queued before registrations and enrolments could be made offline: a walk-in. */
  mode?: 'walkin' | 'register' | 'enrol';
  clientId: string;
  seq: number;
  owner?: string;
  classId: string;
  localPersonId: string;
  fullName: string;
  birthYear: number;
  phone?: string;
  /** register: the rest of the person's record. */
  person?: NewPersonData;
  /** enrol: the existing person's server id. */
  existingPersonId?: string;
  /** register: the duplicate check was run at sync (people with the same CCCD, phone or name). */
  checked?: boolean;
  /** register: people the check found; the item waits until the trainer chooses (`choice`). */
  similar?: SimilarPerson[];
  /** register, after a warning: 'new' (register anyway) or the id of the person chosen instead. */
  choice?: string;
  sent: boolean;
  /** The server's person id once the enrolment was made. */
  personId?: string;
  error?: string;
}

export type OutboxItem = OutboxMark | OutboxWalkIn;

const DB_NAME = 'lantoa-trainer';
const STORE = 'outbox';
const META = 'meta';

let opening: Promise<IDBDatabase> | null = null;

function db(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const d = request.result;
      d.createObjectStore(STORE, { keyPath: 'clientId' });
      d.createObjectStore(META);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB'));
  });
  return opening;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB'));
  });
}

async function store(name: string, mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await db()).transaction(name, mode).objectStore(name);
}

const listeners = new Set<() => void>();

/** Subscribes to changes of the outbox (a mark written, a batch sent); returns the unsubscribe function. */
export function onOutboxChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifyOutbox(): void {
  listeners.forEach((l) => l());
}

export async function allItems(): Promise<OutboxItem[]> {
  const items = await done((await store(STORE, 'readonly')).getAll() as IDBRequest<OutboxItem[]>);
  return items.sort((a, b) => a.seq - b.seq);
}

export async function putItems(items: OutboxItem[]): Promise<void> {
  if (!items.length) return;
  const tx = (await db()).transaction(STORE, 'readwrite');
  const s = tx.objectStore(STORE);
  for (const item of items) s.put(item);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB'));
  });
}

function newId(): string {
  return crypto.randomUUID();
}

function nextSeq(): number {
  // Milliseconds with a counter: items keep the order they were made in, across reloads.
  const now = Date.now() * 1000;
  lastSeq = Math.max(lastSeq + 1, now);
  return lastSeq;
}
let lastSeq = 0;

let owner: string | undefined;

/**
 * The signed-in user: what is queued from now on is theirs, and only their items are shown and sent. Items
 * of another user stay on the phone until that user signs in again.
 */
export function setOutboxOwner(id: string | undefined): void {
  if (owner === id) return;
  owner = id;
  notifyOutbox();
}

export function outboxOwner(): string | undefined {
  return owner;
}

/** Items made by the signed-in user (items from before owners were recorded count as theirs). */
export function isMine(item: OutboxItem): boolean {
  return !item.owner || item.owner === owner;
}

export async function queueMark(input: {
  classId: string;
  sessionId: string;
  personId: string;
  status: MarkStatus;
  baseVersion: number;
}): Promise<void> {
  await putItems([
    {
      kind: 'mark',
      clientId: newId(),
      seq: nextSeq(),
      owner,
      ...input,
      recordedAt: new Date().toISOString(),
      sent: false,
    },
  ]);
  notifyOutbox();
}

export async function queueWalkIn(input: {
  mode?: 'walkin' | 'register' | 'enrol';
  classId: string;
  fullName: string;
  birthYear: number;
  phone?: string;
  person?: NewPersonData;
  existingPersonId?: string;
}): Promise<string> {
  const localPersonId = `local:${newId()}`;
  await putItems([
    { kind: 'walkin', clientId: newId(), seq: nextSeq(), owner, localPersonId, ...input, sent: false },
  ]);
  notifyOutbox();
  return localPersonId;
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
  return done((await store(META, 'readonly')).get(key) as IDBRequest<T | undefined>);
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  const s = await store(META, 'readwrite');
  await done(s.put(value, key));
}

/** Forgets everything kept on this phone (signing out: the next user of the phone must not see it). */
export async function clearOutbox(): Promise<void> {
  const d = await db();
  const tx = d.transaction([STORE, META], 'readwrite');
  tx.objectStore(STORE).clear();
  tx.objectStore(META).clear();
  await new Promise<void>((resolve) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => resolve();
  });
  notifyOutbox();
}

/** The newest mark of the outbox for each (session, person): what the phone shows over the server's. */
export function latestMarks(items: OutboxItem[]): Map<string, OutboxMark> {
  const map = new Map<string, OutboxMark>();
  for (const item of items) if (item.kind === 'mark') map.set(`${item.sessionId}|${item.personId}`, item);
  return map;
}

/** How many changes of the signed-in user are not on the server yet (0 when IndexedDB cannot be opened). */
export async function pendingChanges(): Promise<number> {
  try {
    return (await allItems()).filter((i) => !i.sent && isMine(i)).length;
  } catch {
    return 0;
  }
}
