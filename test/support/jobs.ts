import { AttendanceDerivedWork } from '../../libs/classes/src';
import { FlagDetector } from '../../libs/flags/src';
import { TestApp } from './test-app';

/** Waits (bounded) until no job of `kind` is queued or running: the app under test runs them (RUN_JOBS). */
export async function waitForJobs(t: TestApp, kind: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const [row]: { pending: number }[] = await t.dataSource.query(
      `SELECT count(*)::int AS pending FROM job WHERE kind = $1 AND status IN ('queued', 'running')`,
      [kind],
    );
    if (row.pending === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${kind} jobs did not finish`);
}

/**
 * Runs the worker's step for offline sync (the `attendance.derive` job) until its outbox is empty: after it,
 * completion, reach, certificates, KPI facts and flags include every acknowledged mark.
 */
export async function drainAttendance(t: TestApp): Promise<void> {
  await t.app.get(AttendanceDerivedWork).drain();
}

/**
 * Runs the detector's job (`flags.detect`) until its outbox is empty: the flags of every mark written in a
 * request (roster, QR check-in, class import) are raised.
 */
export async function drainFlags(t: TestApp): Promise<void> {
  await t.app.get(FlagDetector).drain();
}
