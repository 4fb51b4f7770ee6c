import { foldVietnamese } from '@lantoa/text';
import type { QueryClient } from '@tanstack/react-query';

import type { SimilarPerson } from './outbox';

/** A person the phone already knows (from a roster or an earlier search), enrollable without a network. */
export type KeptPerson = SimilarPerson;

type RosterRow = { person: { id: string; fullName: string; birthYear: number; commune: string } };
/** A person as the people search answers (the fields the trainer's pages use). */
export type PersonHit = {
  id: string;
  fullName: string;
  birthYear: number;
  commune: { fullName: string };
  phone: string | null;
  cccd: string | null;
};

const ROSTER = /^\/api\/v1\/classes\/[0-9a-f-]{36}\/enrolments$/;

/**
 * Everyone on the rosters the phone kept (the service worker's copy, which survives a reload) and in the
 * searches of this visit: offline, the trainer enrols an existing person from among them.
 */
export async function keptPeople(client: QueryClient): Promise<KeptPerson[]> {
  const people = new Map<string, KeptPerson>();
  const addRoster = (rows: RosterRow[]) => {
    for (const { person } of rows)
      if (!people.has(person.id)) people.set(person.id, { ...person, phone: null, cccd: null });
  };
  if ('caches' in window) {
    try {
      const cache = await caches.open('lantoa-api');
      for (const request of await cache.keys()) {
        if (!ROSTER.test(new URL(request.url).pathname)) continue;
        const response = await cache.match(request, { ignoreVary: true });
        if (response) addRoster((await response.json()) as RosterRow[]);
      }
    } catch {
      // No kept copy: only this visit's data.
    }
  }
  for (const [key, rows] of client.getQueriesData<RosterRow[]>({ queryKey: ['class'] }))
    if (key[2] === 'enrolments' && Array.isArray(rows)) addRoster(rows);
  for (const [, page] of client.getQueriesData<{ items: PersonHit[] }>({ queryKey: ['people', 'search'] }))
    for (const p of page?.items ?? []) people.set(p.id, flatPerson(p));
  return [...people.values()];
}

/** A search hit as the phone keeps people (the commune's name only). */
export function flatPerson(p: PersonHit): KeptPerson {
  return {
    id: p.id,
    fullName: p.fullName,
    birthYear: p.birthYear,
    commune: p.commune.fullName,
    phone: p.phone,
    cccd: p.cccd,
  };
}

/** Accent-insensitive search by name, phone or CCCD, as the server's people search. */
export function searchKept(people: KeptPerson[], q: string): KeptPerson[] {
  const folded = foldVietnamese(q.trim());
  const digits = q.replace(/\D/g, '');
  if (folded.length < 2) return [];
  return people.filter(
    (p) =>
      foldVietnamese(p.fullName).includes(folded) ||
      (digits.length >= 4 && ((p.phone ?? '').includes(digits) || (p.cccd ?? '').includes(digits))),
  );
}
