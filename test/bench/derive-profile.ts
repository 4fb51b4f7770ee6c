/**
 * Where a pass of the attendance outbox spends its time, step by step, for passes of several sizes — on the
 * dataset of `npm run bench:generate`, each in a transaction rolled back (nothing changes). By default every
 * completion is counted as changed, so that reach and certificates do their work, though no fact changes; with
 * --marks present (or late, absent) the pairs' marks are first set so in the transaction, and the pass derives
 * what that change really changes — after the sync scenario's last run (absent), `--marks present` is the
 * first attendance of those classes.
 *   node -r @swc-node/register test/bench/derive-profile.ts --url postgres://…/lantoa_bench [--sizes 500,1000,4000] [--marks present]
 */
import 'reflect-metadata';
import { DataSource, EntityManager } from 'typeorm';
import {
  AttendanceRepository,
  ClassRepository,
  CompletionListener,
  CompletionService,
} from '../../libs/classes/src';
import { BENCH_PROGRAM, benchArgs } from './dataset';
import { benchContext } from './statement-timer';

async function main(): Promise<void> {
  const args = benchArgs({
    sizes: { type: 'string', default: '500,1000,4000' },
    marks: { type: 'string' },
  });
  const marks = args.values.marks as string | undefined;
  const sizes = String(args.values.sizes).split(',').map(Number);
  const app = await benchContext(args.url);
  try {
    const dataSource = app.get(DataSource);
    const attendance = app.get(AttendanceRepository);
    const classes = app.get(ClassRepository);
    const completion = app.get(CompletionService);
    const listeners = (completion as unknown as { listeners: CompletionListener[] }).listeners;
    const pairs: { classId: string; personId: string }[] = await dataSource.query(
      `SELECT e.class_id AS "classId", e.person_id AS "personId"
         FROM enrolment e JOIN training_class c ON c.id = e.class_id JOIN program g ON g.id = c.program_id
        WHERE g.code = $1 AND c.status = 'in_progress'
        ORDER BY c.id, e.person_id LIMIT $2`,
      [BENCH_PROGRAM, Math.max(...sizes)],
    );
    for (const size of sizes) {
      const some = pairs.slice(0, size);
      const times: Record<string, number> = {};
      const timed = async <T>(what: string, step: () => Promise<T>): Promise<T> => {
        const t0 = process.hrtime.bigint();
        const out = await step();
        times[what] = (times[what] ?? 0) + Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
        return out;
      };
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        const m: EntityManager = runner.manager;
        if (marks) {
          const [, changedMarks] = await m.query(
            `UPDATE attendance a SET status = $3 FROM unnest($1::uuid[], $2::uuid[]) AS k(c, p)
              WHERE a.class_id = k.c AND a.person_id = k.p AND a.status <> $3`,
            [some.map((p) => p.classId), some.map((p) => p.personId), marks],
          );
          console.log(`${size} pairs: ${changedMarks} marks set ${marks}`);
        }
        await timed('lock classes', () => classes.lockAll(m, [...new Set(some.map((p) => p.classId))]));
        const ids = await timed('enrolments', () => attendance.enrolmentIds(m, some));
        // Completion is re-decided from scratch; mark everyone's decision changed so the rest does its work.
        const decided = await timed('completion', () => attendance.recomputeCompletion(m, ids));
        const changed = marks ? decided : decided.map((d) => ({ ...d, changed: true }));
        await timed('reach', () =>
          completion.refreshReach(
            m,
            changed
              .filter((d) => d.kind === 'citizen')
              .map((d) => ({ trainerId: d.leadTrainerId, personId: d.personId })),
          ),
        );
        for (const listener of listeners) {
          const name = listener.constructor.name;
          if (listener.completionChanged)
            await timed(`${name}.completionChanged`, () => listener.completionChanged!(m, changed));
          if (listener.learnersChanged)
            await timed(`${name}.learnersChanged`, () => listener.learnersChanged!(m, some, 'worker'));
        }
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      const total = Object.values(times).reduce((a, b) => a + b, 0);
      console.log(
        `${size} pairs: ${total} ms (${Math.round((total * 1000) / size)} µs a pair) ${JSON.stringify(times)}`,
      );
    }
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
