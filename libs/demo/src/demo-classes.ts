import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CompletionService } from '../../classes/src';
import { SeededRandom } from './random';

export interface DemoTrainer {
  id: string;
  personId: string;
  communeId: number;
  trainedById: string | null;
}

interface DemoClass {
  id: string;
  kind: 'citizen' | 'training_of_trainers';
  leadTrainerId: string;
  unitId: number;
  status: 'completed' | 'scheduled';
  firstDay: string;
  learners: string[];
}

const VENUES = [
  ['cultural_house', 'Nhà văn hóa xóm'],
  ['community_learning_centre', 'Trung tâm học tập cộng đồng'],
  ['commune_committee', 'Hội trường UBND'],
  ['school', 'Trường Tiểu học'],
  ['library', 'Thư viện'],
] as const;
const HAMLETS = [
  'Làng Mới',
  'Đồng Tâm',
  'Bãi Vàng',
  'Cây Thị',
  'Khuôn Ngục',
  'Na Hiên',
  'Tân Lập',
  'Đoàn Kết',
  'Ba Luồng',
  'Hạ Vụ',
];
const SESSIONS = 3;
const DAY_MS = 86_400_000;

/**
 * The demo campaign's classes, written the way the service writes them: sessions, enrolments and marks,
 * then completion and reach decided by the same code as for marks recorded through the API.
 */
export async function seedDemoClasses(
  m: EntityManager,
  random: SeededRandom,
  input: {
    programId: string;
    provincial: DemoTrainer[];
    commune: DemoTrainer[];
    learners: { personId: string; trainerId: string }[];
    today: string;
  },
  completion: CompletionService,
): Promise<{ classes: number; sessions: number; marks: number }> {
  const classes: DemoClass[] = [];
  const start = Date.parse('2026-04-20T00:00:00Z');
  const lastPast = Date.parse(`${input.today}T00:00:00Z`) - (SESSIONS + 1) * DAY_MS;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  // Busier recently: a sqrt spread puts more classes towards today.
  const pastDay = () => day(start + Math.sqrt(random.next()) * Math.max(DAY_MS, lastPast - start));

  // Training of trainers: each provincial trainer taught the commune trainers they trained, in April.
  for (const lead of input.provincial) {
    const trainees = input.commune.filter((t) => t.trainedById === lead.id).map((t) => t.personId);
    classes.push({
      id: randomUUID(),
      kind: 'training_of_trainers',
      leadTrainerId: lead.id,
      unitId: lead.communeId,
      status: 'completed',
      firstDay: day(start - random.int(5, 15) * DAY_MS),
      learners: trainees,
    });
  }
  // Citizen classes of up to 15 learners per commune trainer; a few are still ahead.
  const byTrainer = new Map<string, string[]>();
  for (const l of input.learners)
    byTrainer.set(l.trainerId, [...(byTrainer.get(l.trainerId) ?? []), l.personId]);
  const trainers = new Map(input.commune.map((t) => [t.id, t]));
  for (const [trainerId, people] of byTrainer) {
    for (let i = 0; i < people.length; i += 15) {
      const upcoming = random.next() < 0.06;
      classes.push({
        id: randomUUID(),
        kind: 'citizen',
        leadTrainerId: trainerId,
        unitId: trainers.get(trainerId)!.communeId,
        status: upcoming ? 'scheduled' : 'completed',
        firstDay: upcoming
          ? day(Date.parse(`${input.today}T00:00:00Z`) + random.int(1, 14) * DAY_MS)
          : pastDay(),
        learners: people.slice(i, i + 15),
      });
    }
  }

  const venue = classes.map(() => random.pick(VENUES));
  await m.query(
    `INSERT INTO training_class (id, program_id, level, kind, title, lead_trainer_id, unit_id, venue_type, venue_address, mode,
                                 capacity, status, enrolled_count)
     SELECT id, $1, level, kind, title, lead, unit, venue_type, venue_address, 'in_person', 40, status, enrolled
       FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::uuid[], $7::int[], $8::text[], $9::text[], $10::text[], $11::int[])
         AS t(id, level, kind, title, lead, unit, venue_type, venue_address, status, enrolled)`,
    [
      input.programId,
      classes.map((c) => c.id),
      classes.map((c) => (c.kind === 'training_of_trainers' ? 5 : random.int(1, 3))),
      classes.map((c) => c.kind),
      classes.map((c, i) =>
        c.kind === 'training_of_trainers'
          ? 'Lớp tập huấn giảng viên nòng cốt'
          : `Lớp Bình dân học AI — xóm ${HAMLETS[i % HAMLETS.length]}`,
      ),
      classes.map((c) => c.leadTrainerId),
      classes.map((c) => c.unitId),
      classes.map((_c, i) => venue[i][0]),
      classes.map((_c, i) => `${venue[i][1]} ${HAMLETS[(i * 7) % HAMLETS.length]}`),
      classes.map((c) => c.status),
      classes.map((c) => c.learners.length),
    ],
  );
  const sessions = classes.flatMap((c) =>
    Array.from({ length: SESSIONS }, (_, k) => {
      const date = day(Date.parse(`${c.firstDay}T00:00:00Z`) + k * DAY_MS);
      return {
        id: randomUUID(),
        classId: c.id,
        position: k + 1,
        startsAt: `${date}T08:00:00+07:00`,
        endsAt: `${date}T09:30:00+07:00`,
      };
    }),
  );
  await m.query(
    `INSERT INTO class_session (id, class_id, position, starts_at, ends_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[], $5::timestamptz[])`,
    [
      sessions.map((s) => s.id),
      sessions.map((s) => s.classId),
      sessions.map((s) => s.position),
      sessions.map((s) => s.startsAt),
      sessions.map((s) => s.endsAt),
    ],
  );
  const enrolments = classes.flatMap((c) =>
    c.learners.map((personId) => ({ id: randomUUID(), classId: c.id, personId })),
  );
  await m.query(
    `INSERT INTO enrolment (id, class_id, person_id) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[])`,
    [enrolments.map((e) => e.id), enrolments.map((e) => e.classId), enrolments.map((e) => e.personId)],
  );
  const byClass = new Map(classes.map((c) => [c.id, c]));
  const marks: {
    sessionId: string;
    personId: string;
    classId: string;
    status: string;
    recordedAt: string;
  }[] = [];
  for (const s of sessions) {
    const c = byClass.get(s.classId)!;
    if (c.status !== 'completed') continue;
    for (const personId of c.learners) {
      const roll = random.next();
      const status =
        c.kind === 'training_of_trainers'
          ? 'present'
          : roll < 0.8
            ? 'present'
            : roll < 0.87
              ? 'late'
              : roll < 0.92
                ? 'excused'
                : 'absent';
      marks.push({ sessionId: s.id, personId, classId: s.classId, status, recordedAt: s.startsAt });
    }
  }
  for (let i = 0; i < marks.length; i += 5000) {
    const chunk = marks.slice(i, i + 5000);
    await m.query(
      // About half the learners who came checked in by QR themselves (a check-in only ever says they came).
      `INSERT INTO attendance (session_id, person_id, class_id, status, method, recorded_at, checked_in_at)
       SELECT s, p, c, st, CASE WHEN qr THEN 'qr' ELSE 'roster' END, r, CASE WHEN qr THEN r END
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[]) AS t(s, p, c, st, r),
              LATERAL (SELECT st IN ('present', 'late') AND abs(hashtext(p::text || s::text)) % 2 = 1 AS qr) AS q`,
      [
        chunk.map((k) => k.sessionId),
        chunk.map((k) => k.personId),
        chunk.map((k) => k.classId),
        chunk.map((k) => k.status),
        chunk.map((k) => k.recordedAt),
      ],
    );
  }
  for (let i = 0; i < enrolments.length; i += 2000) {
    await completion.afterEnrolments(
      m,
      enrolments.slice(i, i + 2000).map((e) => e.id),
    );
  }
  // Outcomes recorded after the course: most completers can apply at least one AI tool.
  await m.query(
    `UPDATE enrolment SET outcome_can_apply = (abs(hashtext(id::text)) % 100) < 72,
                          outcome_score = 5 + (abs(hashtext(person_id::text)) % 50) / 10.0, outcome_recorded_at = completed_at
      WHERE status = 'completed' AND class_id = ANY ($1::uuid[])`,
    [classes.map((c) => c.id)],
  );
  return { classes: classes.length, sessions: sessions.length, marks: marks.length };
}
