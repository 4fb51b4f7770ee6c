import { addDays, daysBetween } from '../../platform/src';

/** Quota progress and pace of one trainer, from counts only (no scan): shared by the reach API and the leaderboard. */
export interface Pace {
  quota: number;
  directReach: number;
  quotaProgress: number;
  remaining: number;
  /** People newly reached per week, averaged over the last 4 weeks. */
  currentPacePerWeek: number;
  /** People per week needed from today to meet the quota by the program's end. */
  neededPacePerWeek: number;
  /** When the quota will be met at the current pace (null: never, at zero pace). */
  projectedCompletionDate: string | null;
  behindSchedule: boolean;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Pace is measured over the last four weeks: the people newly reached in the 28 days up to today. */
export const PACE_WINDOW_DAYS = 28;

/**
 * SQL: the people a trainer (`trainerId`, an expression) newly reached in the pace window ending on `today`
 * (a parameter such as `$4`), from the daily reach facts (their primary key serves it).
 */
export function lastFourWeeksSql(trainerId: string, today: string): string {
  return `(SELECT coalesce(sum(rd.reached), 0)::int FROM trainer_reach_daily rd
            WHERE rd.trainer_id = ${trainerId} AND rd.day > ${today}::date - ${PACE_WINDOW_DAYS} AND rd.day <= ${today}::date)`;
}

/** Days from `today` to the program's last day (negative once it has ended). */
export function daysUntil(today: string, endsOn: string): number {
  return daysBetween(today, endsOn);
}

/**
 * Behind schedule: people remain and, at the last 4 weeks' rate, the quota would not be met by the end —
 * in arithmetic only, for ranking thousands of trainers at once.
 */
export function isBehindSchedule(
  input: { quota: number; directReach: number; lastFourWeeks: number },
  daysToEnd: number,
): boolean {
  const remaining = Math.max(0, input.quota - input.directReach);
  if (remaining === 0) return false;
  // Days still needed at the current rate (lastFourWeeks / PACE_WINDOW_DAYS a day), in exact arithmetic as in SQL.
  return (
    input.lastFourWeeks <= 0 || Math.ceil((remaining * PACE_WINDOW_DAYS) / input.lastFourWeeks) > daysToEnd
  );
}

/** The same rule as SQL over columns or expressions (for counting thousands of trainers in the database). */
export function behindScheduleSql(
  quota: string,
  directReach: string,
  lastFourWeeks: string,
  daysToEnd: string,
): string {
  const remaining = `greatest(0, ${quota} - ${directReach})`;
  return `(${remaining} > 0 AND (${lastFourWeeks} <= 0 OR ceil(${remaining}::numeric * ${PACE_WINDOW_DAYS} / ${lastFourWeeks}) > ${daysToEnd}))`;
}

/**
 * `lastFourWeeks` counts people newly reached in the pace window (28 days) up to `today`; `endsOn` is the program's last day.
 * Behind schedule: people remain and, at the current pace, the quota would not be met by the end.
 */
export function computePace(input: {
  quota: number;
  directReach: number;
  lastFourWeeks: number;
  today: string;
  endsOn: string;
}): Pace {
  const remaining = Math.max(0, input.quota - input.directReach);
  const currentPacePerWeek = round1((input.lastFourWeeks * 7) / PACE_WINDOW_DAYS);
  const daysLeft = Math.max(0, daysBetween(input.today, input.endsOn) + 1);
  const neededPacePerWeek =
    remaining === 0 ? 0 : daysLeft === 0 ? remaining : round1((remaining * 7) / daysLeft);
  const projectedCompletionDate =
    remaining === 0
      ? input.today
      : input.lastFourWeeks > 0
        ? addDays(input.today, Math.ceil((remaining * PACE_WINDOW_DAYS) / input.lastFourWeeks))
        : null;
  return {
    quota: input.quota,
    directReach: input.directReach,
    quotaProgress: Math.round((input.directReach / input.quota) * 1000) / 1000,
    remaining,
    currentPacePerWeek,
    neededPacePerWeek,
    projectedCompletionDate,
    behindSchedule: isBehindSchedule(input, daysBetween(input.today, input.endsOn)),
  };
}
