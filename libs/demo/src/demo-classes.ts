import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CompletionService } from '../../classes/src';
import { DemoMarkRow, DemoSeedRepository } from './demo-seed.repository';
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
  repository: DemoSeedRepository,
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
  await repository.insertClasses(
    m,
    input.programId,
    classes.map((c, i) => ({
      id: c.id,
      level: c.kind === 'training_of_trainers' ? 5 : random.int(1, 3),
      kind: c.kind,
      title:
        c.kind === 'training_of_trainers'
          ? 'Lớp tập huấn giảng viên nòng cốt'
          : `Lớp Bình dân học AI — xóm ${HAMLETS[i % HAMLETS.length]}`,
      leadTrainerId: c.leadTrainerId,
      unitId: c.unitId,
      venueType: venue[i][0],
      venueAddress: `${venue[i][1]} ${HAMLETS[(i * 7) % HAMLETS.length]}`,
      status: c.status,
      enrolled: c.learners.length,
    })),
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
  await repository.insertSessions(m, sessions);
  const enrolments = classes.flatMap((c) =>
    c.learners.map((personId) => ({ id: randomUUID(), classId: c.id, personId })),
  );
  await repository.insertEnrolments(m, enrolments);
  const byClass = new Map(classes.map((c) => [c.id, c]));
  const marks: DemoMarkRow[] = [];
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
    await repository.insertMarks(m, chunk);
  }
  for (let i = 0; i < enrolments.length; i += 2000) {
    await completion.afterEnrolments(
      m,
      enrolments.slice(i, i + 2000).map((e) => e.id),
    );
  }
  await repository.recordOutcomes(
    m,
    classes.map((c) => c.id),
  );
  return { classes: classes.length, sessions: sessions.length, marks: marks.length };
}
