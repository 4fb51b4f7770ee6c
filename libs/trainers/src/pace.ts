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

const DAY_MS = 86_400_000;

function addDays(date: string, days: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round(
    (new Date(`${to}T00:00:00Z`).getTime() - new Date(`${from}T00:00:00Z`).getTime()) / DAY_MS,
  );
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * `lastFourWeeks` counts people newly reached in the 28 days up to `today`; `endsOn` is the program's last day.
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
  const currentPacePerWeek = round1(input.lastFourWeeks / 4);
  const daysLeft = Math.max(0, daysBetween(input.today, input.endsOn) + 1);
  const neededPacePerWeek =
    remaining === 0 ? 0 : daysLeft === 0 ? remaining : round1((remaining * 7) / daysLeft);
  const perDay = input.lastFourWeeks / 28;
  const projectedCompletionDate =
    remaining === 0 ? input.today : perDay > 0 ? addDays(input.today, Math.ceil(remaining / perDay)) : null;
  return {
    quota: input.quota,
    directReach: input.directReach,
    quotaProgress: Math.round((input.directReach / input.quota) * 1000) / 1000,
    remaining,
    currentPacePerWeek,
    neededPacePerWeek,
    projectedCompletionDate,
    behindSchedule:
      remaining > 0 && (projectedCompletionDate === null || projectedCompletionDate > input.endsOn),
  };
}
