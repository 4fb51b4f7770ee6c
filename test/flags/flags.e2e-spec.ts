import { randomUUID } from 'node:crypto';
import { createPerson, createProgram, createTrainer } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { drainAttendance } from '../support/jobs';
import { partnerPerson, partnerWithKey } from '../support/partners';
import { startTestApp, TestApp } from '../support/test-app';
import { fixture, flagsOf, offline, patterns, roster, sessionAgo } from './support';

/**
 * Each pattern of attendance that is probably not real raises its flag as the records arrive, with its
 * evidence and the people behind it; a program's threshold changes the outcome; an honest class raises none.
 * The app runs on the real clock so that "received long after the session" means what it says.
 */
describe('data-honesty flags, raised as records arrive', () => {
  let t: TestApp;
  let A: string;
  let B: string;
  const sorted = (ids: string[]) => [...ids].sort();

  beforeAll(async () => {
    t = await startTestApp();
    [A, B] = await communesOf(t, '19');
  });
  afterAll(() => t.close());

  it('an honest class raises none: varied attendance, marked during the week, learners of the commune and segment', async () => {
    const f = await fixture(t, A, {
      sessions: [sessionAgo(50), sessionAgo(26), sessionAgo(3)],
      learners: 12,
      klass: { targetSegment: 'farmer' },
    });
    await roster(t, f, 0, [f.people[0], f.people[1]]);
    await roster(t, f, 1, [f.people[2]]);
    await roster(t, f, 2, [f.people[3], f.people[4], f.people[0]]);
    expect(await flagsOf(t, f.programId)).toEqual([]);
  });

  it('back-filled marks: received long after the session ended; a program with a wider threshold raises none', async () => {
    const late = await fixture(t, A, { sessions: [sessionAgo(120), sessionAgo(100)], learners: 3 });
    await roster(t, late, 0);
    const flags = await flagsOf(t, late.programId);
    expect(patterns(flags)).toEqual(['backfilled']);
    expect(flags[0]).toMatchObject({ severity: 'medium', status: 'open', records: 3, classId: late.classId });
    expect(sorted(flags[0].people)).toEqual(sorted(late.people));
    expect(flags[0].evidence).toMatchObject({ sessionId: late.sessions[0].id, marks: 3, threshold: 72 });
    expect(flags[0].evidence.hoursAfter as number).toBeGreaterThan(110);

    const lenient = await fixture(t, A, {
      sessions: [sessionAgo(120), sessionAgo(100)],
      learners: 3,
      settings: [{ pattern: 'backfilled', threshold: 200 }],
    });
    await roster(t, lenient, 0);
    expect(await flagsOf(t, lenient.programId)).toEqual([]);
  });

  it('offline marks whose device time is far from the server receive time, found by the derive pass', async () => {
    const f = await fixture(t, A, { sessions: [sessionAgo(62), sessionAgo(40)], learners: 4 });
    await offline(t, f, 0, new Date(Date.parse(f.sessions[0].startsAt) + 10 * 60_000).toISOString());
    // Acknowledged, not yet derived: nothing raised in the request.
    expect(await flagsOf(t, f.programId)).toEqual([]);
    await drainAttendance(t);
    const flags = await flagsOf(t, f.programId);
    expect(patterns(flags)).toEqual(['device_clock']);
    expect(flags[0].evidence).toMatchObject({ marks: 4, threshold: 48 });
    expect(flags[0].evidence.maxGapHours as number).toBeGreaterThan(55);

    const lenient = await fixture(t, A, {
      sessions: [sessionAgo(62), sessionAgo(40)],
      learners: 4,
      settings: [{ pattern: 'device_clock', threshold: 100 }],
    });
    await offline(
      t,
      lenient,
      0,
      new Date(Date.parse(lenient.sessions[0].startsAt) + 10 * 60_000).toISOString(),
    );
    await drainAttendance(t);
    expect(await flagsOf(t, lenient.programId)).toEqual([]);
  });

  it('a whole class marked present within seconds; switched off for a program, none', async () => {
    const f = await fixture(t, A, { sessions: [sessionAgo(30), sessionAgo(5)], learners: 10 });
    await roster(t, f, 0);
    const flags = await flagsOf(t, f.programId);
    expect(patterns(flags)).toEqual(['marked_at_once']);
    expect(flags[0]).toMatchObject({ severity: 'low', records: 10 });
    expect(flags[0].evidence).toMatchObject({ present: 10, seconds: 0, methods: ['roster'] });

    // One learner fewer than the class: not "the whole class".
    const partial = await fixture(t, A, { sessions: [sessionAgo(30), sessionAgo(5)], learners: 11 });
    await roster(t, partial, 0, [partial.people[10]]);
    expect(await flagsOf(t, partial.programId)).toEqual([]);

    const off = await fixture(t, A, {
      sessions: [sessionAgo(30), sessionAgo(5)],
      learners: 10,
      settings: [{ pattern: 'marked_at_once', threshold: 10, enabled: false }],
    });
    await roster(t, off, 0);
    expect(await flagsOf(t, off.programId)).toEqual([]);
  });

  it('every session of a class with identical attendance; a higher minimum raises none', async () => {
    const build = (settings?: { pattern: string; threshold: number }[]) =>
      fixture(t, A, {
        sessions: [sessionAgo(50), sessionAgo(26), sessionAgo(3)],
        learners: 11,
        settings: [{ pattern: 'marked_at_once', threshold: 10, enabled: false }, ...(settings ?? [])],
      });
    const f = await build();
    for (const s of [0, 1, 2]) await roster(t, f, s, [f.people[10]]);
    const flags = await flagsOf(t, f.programId);
    expect(patterns(flags)).toEqual(['identical_sessions']);
    expect(flags[0].evidence).toMatchObject({ sessions: 3, present: 10, threshold: 10 });
    expect(sorted(flags[0].people)).toEqual(sorted(f.people.slice(0, 10)));

    const higher = await build([{ pattern: 'identical_sessions', threshold: 11 }]);
    for (const s of [0, 1, 2]) await roster(t, higher, s, [higher.people[10]]);
    expect(await flagsOf(t, higher.programId)).toEqual([]);
  });

  it('one person present in two places at overlapping times; a longer minimum overlap raises none', async () => {
    for (const [threshold, expected] of [
      [1, 1],
      [120, 0],
    ] as const) {
      const programId = (await createProgram(t.http)).id;
      await t.http.put(`/api/v1/programs/${programId}/flag-settings`, {
        settings: [{ pattern: 'person_two_places', threshold, severity: 'high', enabled: true }],
      });
      const slot = [sessionAgo(30), sessionAgo(6)];
      const here = await fixture(t, A, { programId, sessions: slot, learners: 2 });
      const there = await fixture(t, B, { programId, sessions: slot, learners: 2 });
      const twice = here.people[0];
      expect(
        (await t.http.post(`/api/v1/classes/${there.classId}/enrolments`, { personId: twice })).status,
      ).toBe(201);
      await roster(t, here, 0);
      await roster(t, { ...there, people: [...there.people, twice] }, 0);
      const flags = (await flagsOf(t, programId)).filter((x) => x.pattern === 'person_two_places');
      expect(flags).toHaveLength(expected);
      if (expected) {
        expect(flags[0]).toMatchObject({ severity: 'high', people: [twice] });
        const overlap = (flags[0].evidence.overlaps as Record<string, unknown>[])[0];
        expect(overlap).toMatchObject({ minutes: 90 });
        expect(sorted([overlap.classId as string, overlap.otherClassId as string])).toEqual(
          sorted([here.classId, there.classId]),
        );
      }
    }
  });

  it('a trainer leading overlapping sessions in different places; a longer minimum overlap raises none', async () => {
    for (const [threshold, expected] of [
      [1, 1],
      [120, 0],
    ] as const) {
      const programId = (await createProgram(t.http)).id;
      await t.http.put(`/api/v1/programs/${programId}/flag-settings`, {
        settings: [{ pattern: 'trainer_two_places', threshold, severity: 'high', enabled: true }],
      });
      const trainerId = (await createTrainer(t.http, programId, A)).id;
      const slot = [sessionAgo(30), sessionAgo(6)];
      const here = await fixture(t, A, { programId, trainerId, sessions: slot, learners: 2 });
      await fixture(t, B, {
        programId,
        trainerId,
        sessions: slot,
        learners: 2,
        klass: { venueAddress: 'Nhà văn hóa thôn Bãi Vàng' },
      });
      await roster(t, here, 0);
      const flags = (await flagsOf(t, programId)).filter((x) => x.pattern === 'trainer_two_places');
      expect(flags).toHaveLength(expected);
      if (expected) {
        expect(flags[0].classId).toBe(here.classId);
        expect(sorted(flags[0].people)).toEqual(sorted(here.people));
        expect((flags[0].evidence.overlaps as unknown[]).length).toBe(2);
      }
    }
  });

  it('one phone number behind the QR check-ins of many learners; a higher threshold raises none', async () => {
    for (const [threshold, expected] of [
      [3, 1],
      [4, 0],
    ] as const) {
      const phone = `0912 ${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
      const f = await fixture(t, A, {
        sessions: [sessionAgo(0.5), sessionAgo(-24)],
        learners: 3,
        person: (i) => ({ phone, birthYear: 1980 + i }),
        settings: [{ pattern: 'shared_phone', threshold }],
      });
      const token: string = (
        await t.http.get(`/api/v1/classes/${f.classId}/sessions/${f.sessions[0].id}/checkin`)
      ).body.token;
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${t.baseUrl}/checkin/${token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ identifier: phone, birthYear: String(1980 + i) }),
        });
        expect(res.status).toBe(200);
      }
      const flags = await flagsOf(t, f.programId);
      expect(patterns(flags)).toEqual(expected ? ['shared_phone'] : []);
      if (expected) {
        expect(flags[0].evidence).toMatchObject({ learners: 3, phoneEnding: phone.slice(-3) });
        expect(sorted(flags[0].people)).toEqual(sorted(f.people));
        // The number itself is not kept in the flag.
        expect(JSON.stringify(flags[0])).not.toContain(phone.replace(' ', '').slice(1));
      }
    }
  });

  it('sessions outside the program’s dates; a tolerance of days raises none', async () => {
    for (const [threshold, expected] of [
      [0, 1],
      [30, 0],
    ] as const) {
      const yesterday = new Date(Date.now() - 30 * 3_600_000).toISOString().slice(0, 10);
      const programId = (await createProgram(t.http, { startsOn: '2026-03-01', endsOn: yesterday })).id;
      const f = await fixture(t, A, {
        programId,
        sessions: [sessionAgo(5), sessionAgo(-20)],
        learners: 2,
        settings: [{ pattern: 'session_outside_program', threshold }],
      });
      await roster(t, f, 0);
      const flags = await flagsOf(t, programId);
      expect(patterns(flags)).toEqual(expected ? ['session_outside_program'] : []);
      if (expected) expect(flags[0].evidence).toMatchObject({ programEndsOn: yesterday });
    }
  });

  it('learners outside the class’s target segment, or living outside its commune, in bulk; thresholds decide', async () => {
    for (const [threshold, expected] of [
      [0.5, ['commune_mismatch', 'segment_mismatch']],
      [0.9, []],
    ] as const) {
      const programId = (await createProgram(t.http)).id;
      const f = await fixture(t, A, {
        programId,
        sessions: [sessionAgo(30), sessionAgo(6)],
        learners: 8,
        klass: { targetSegment: 'civil_servant' },
        settings: [
          { pattern: 'segment_mismatch', threshold },
          { pattern: 'commune_mismatch', threshold },
        ],
      });
      // Six of eight are farmers living in another commune.
      const outsiders: string[] = [];
      for (let i = 0; i < 6; i++) {
        const p = await createPerson(t.http, B, { segment: 'farmer' });
        await t.http.post(`/api/v1/classes/${f.classId}/enrolments`, { personId: p.id });
        outsiders.push(p.id);
      }
      const two = await Promise.all([0, 1].map(() => createPerson(t.http, A, { segment: 'civil_servant' })));
      for (const p of two) await t.http.post(`/api/v1/classes/${f.classId}/enrolments`, { personId: p.id });
      const all = { ...f, people: [...outsiders, ...two.map((p) => p.id)] };
      // The fixture's own learners (farmers of commune A) stay away.
      await roster(t, { ...all, people: [...all.people, ...f.people] }, 0, f.people);
      const flags = await flagsOf(t, programId);
      expect(patterns(flags)).toEqual(expected);
      for (const x of flags) {
        expect(sorted(x.people)).toEqual(sorted(outsiders));
        expect(x.evidence).toMatchObject({ attendees: 8, outside: 6, share: 0.75 });
      }
    }
  });

  it('partner-pushed completions without any lesson, beyond the share the program allows', async () => {
    for (const [threshold, expected] of [
      [0.3, 1],
      [0.9, 0],
    ] as const) {
      const program = await createProgram(t.http);
      await t.http.put(`/api/v1/programs/${program.id}/flag-settings`, {
        settings: [{ pattern: 'completion_without_learning', threshold, severity: 'medium', enabled: true }],
      });
      const { client } = await partnerWithKey(t.http, program.id, '19');
      const ids = Array.from({ length: 12 }, (_, i) => `E-${i}-${randomUUID().slice(0, 6)}`);
      const registered = await client.post('/api/v1/partner/people', {
        people: ids.map((id) => partnerPerson(id, A)),
      });
      expect(registered.status).toBe(200);
      // Two of twelve took a lesson before completing; ten completed with nothing behind them.
      const lessons = await client.post('/api/v1/partner/lessons', {
        lessons: ids.slice(0, 2).map((externalId, i) => ({
          id: `L${i}`,
          externalId,
          programCode: program.code,
          level: 1,
          lesson: 'Bài 1',
          completedAt: '2026-11-01T20:00:00+07:00',
        })),
      });
      expect(lessons.status).toBe(200);
      const completions = await client.post('/api/v1/partner/completions', {
        completions: ids.map((externalId, i) => ({
          id: `C${i}`,
          externalId,
          programCode: program.code,
          level: 1,
          completedAt: '2026-11-05T20:00:00+07:00',
        })),
      });
      expect(completions.status).toBe(200);
      const flags = await flagsOf(t, program.id);
      expect(flags).toHaveLength(expected);
      if (expected) {
        expect(flags[0]).toMatchObject({
          pattern: 'completion_without_learning',
          records: 10,
          classId: null,
        });
        expect(flags[0].evidence).toMatchObject({ completions: 12, withoutLearning: 10 });
      }
    }
  });
});
