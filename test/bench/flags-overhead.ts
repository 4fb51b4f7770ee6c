/**
 * What computing data-honesty flags adds to attendance throughput, with and without flags in the same run, on
 * the dataset of `npm run bench:generate`: rounds alternate (off, on, off, on …) so that the machine's drift
 * falls on both alike. Each round
 *   - syncs batches of 500 offline marks of the classes in progress through `AttendanceService.sync`, then
 *     drains the outbox (`AttendanceDerivedWork.drain`, whose pass evaluates the flags of offline marks), and
 *   - writes whole-session rosters of those classes through `AttendanceService.roster` (the write path of the
 *     online roster and of the class Excel import), then drains the detector's outbox: the flags of every
 *     mark written are raised within the time measured.
 * Statuses alternate between rounds so that every mark is really written. Marks stay written (the figures
 * follow them); flags raised stay too.
 *   node -r @swc-node/register test/bench/flags-overhead.ts --url postgres://…/lantoa_bench [--rounds 6] [--batches 4]
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AttendanceDerivedWork, AttendanceService } from '../../libs/classes/src';
import { FlagDetector } from '../../libs/flags/src';
import { BENCH_PROGRAM, benchArgs } from './dataset';
import { benchAdmin, benchContext } from './statement-timer';

async function main(): Promise<void> {
  const args = benchArgs({
    rounds: { type: 'string', default: '6' },
    batches: { type: 'string', default: '4' },
    rosters: { type: 'string', default: '20' },
  });
  const app = await benchContext(args.url);
  try {
    const dataSource = app.get(DataSource);
    const principal = await benchAdmin((sql, params) => dataSource.query(sql, params));
    const service = app.get(AttendanceService);
    const derive = app.get(AttendanceDerivedWork);
    const detector = app.get(FlagDetector);
    // The time the detector's job takes after the rosters, within the same round: drift of a shared machine
    // falls on the rosters and on the detector alike, so this share is steadier than two rounds' throughputs.
    let detectorMs = 0;
    const detect = async () => {
      const t = process.hrtime.bigint();
      await detector.drain();
      detectorMs += Number(process.hrtime.bigint() - t) / 1e6;
    };
    const rows: { classId: string; sessionId: string; personId: string; startsAt: Date }[] =
      await dataSource.query(
        `SELECT c.id AS "classId", s.id AS "sessionId", e.person_id AS "personId", s.starts_at AS "startsAt"
         FROM training_class c JOIN program g ON g.id = c.program_id
         JOIN class_session s ON s.class_id = c.id JOIN enrolment e ON e.class_id = c.id
        WHERE g.code = $1 AND c.status = 'in_progress' AND s.starts_at < now()
        ORDER BY c.id, s.id, e.person_id`,
        [BENCH_PROGRAM],
      );
    const sessions = new Map<string, { classId: string; sessionId: string; people: string[] }>();
    for (const r of rows) {
      const s = sessions.get(r.sessionId) ?? { classId: r.classId, sessionId: r.sessionId, people: [] };
      s.people.push(r.personId);
      sessions.set(r.sessionId, s);
    }
    const rosters = [...sessions.values()].slice(0, Number(args.values.rosters));
    await dataSource.query(
      `DELETE FROM data_flag WHERE program_id = (SELECT id FROM program WHERE code = $1)`,
      [BENCH_PROGRAM],
    );
    const result = {
      off: { sync: [] as number[], roster: [] as number[] },
      on: { sync: [] as number[], roster: [] as number[] },
      /** In rounds with flags: the detector's time over the rest of the rosters' time. */
      rosterShare: [] as number[],
    };
    const rounds = Number(args.values.rounds);
    const batches = Number(args.values.batches);
    for (let round = 0; round < rounds; round++) {
      const mode = round % 2 === 0 ? 'off' : 'on';
      detector.enabled = mode === 'on';
      const status: 'present' | 'late' = round % 4 < 2 ? 'present' : 'late';
      // Offline sync, then the derive pass.
      const recordedAt = new Date(Date.now() - 30_000).toISOString();
      let marks = 0;
      const t0 = process.hrtime.bigint();
      for (let b = 0; b < batches && b * 500 < rows.length; b++) {
        const batch = rows.slice(b * 500, b * 500 + 500).map((p) => ({
          clientId: randomUUID(),
          sessionId: p.sessionId,
          personId: p.personId,
          status: status,
          recordedAt,
        }));
        await service.sync(principal, batch);
        marks += batch.length;
      }
      await derive.drain();
      const syncMs = Number(process.hrtime.bigint() - t0) / 1e6;
      // Whole-session rosters (the write path of the roster and the class import).
      let rosterMarks = 0;
      detectorMs = 0;
      const t1 = process.hrtime.bigint();
      for (const s of rosters) {
        await service.roster(principal, s.classId, s.sessionId, {
          marks: s.people.map((personId) => ({
            personId,
            status: status === 'present' ? 'late' : 'present',
          })),
        });
        rosterMarks += s.people.length;
      }
      await detect();
      const rosterMs = Number(process.hrtime.bigint() - t1) / 1e6;
      if (round < 2) continue; // the first pair warms up
      result[mode].sync.push((marks * 1000) / syncMs);
      result[mode].roster.push((rosterMarks * 1000) / rosterMs);
      if (mode === 'on') result.rosterShare.push(detectorMs / (rosterMs - detectorMs));
      console.log(
        `round ${round} flags ${mode}: sync+derive ${marks} marks ${Math.round(syncMs)} ms ` +
          `(${Math.round((marks * 1000) / syncMs)} marks/s); rosters ${rosterMarks} marks ${Math.round(rosterMs)} ms ` +
          `(${Math.round((rosterMarks * 1000) / rosterMs)} marks/s)` +
          (mode === 'on' ? `, of which the detector's job ${Math.round(detectorMs)} ms` : ''),
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const line = (what: 'sync' | 'roster') => {
      const off = median(result.off[what]);
      const on = median(result.on[what]);
      return `${what}: without flags ${Math.round(off)} marks/s, with flags ${Math.round(on)} marks/s, overhead ${((1 - on / off) * 100).toFixed(1)} %`;
    };
    const [flags] = await dataSource.query(
      `SELECT count(*)::int AS n FROM data_flag WHERE program_id = (SELECT id FROM program WHERE code = $1)`,
      [BENCH_PROGRAM],
    );
    console.log(
      `${line('sync')}\n${line('roster')}\n` +
        `roster: the detector's job over the rest of the same rosters' time, median ${(median(result.rosterShare) * 100).toFixed(1)} %\n` +
        `flags raised in the run: ${flags.n}`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
