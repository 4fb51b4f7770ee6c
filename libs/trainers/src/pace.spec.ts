import { computePace } from './pace';

describe('quota pace', () => {
  const base = { quota: 1500, today: '2026-06-01', endsOn: '2026-12-31' };

  it('projects the completion date from the last 4 weeks and flags a trainer who will not make it', () => {
    // 280 people in 28 days = 10 a day, 70 a week; 1,000 remaining take 100 more days.
    const pace = computePace({ ...base, directReach: 500, lastFourWeeks: 280 });
    expect(pace).toEqual({
      quota: 1500,
      directReach: 500,
      quotaProgress: 0.333,
      remaining: 1000,
      currentPacePerWeek: 70,
      // 214 days from 1 June to 31 December inclusive: 1,000 × 7 / 214.
      neededPacePerWeek: 32.7,
      projectedCompletionDate: '2026-09-09',
      behindSchedule: false,
    });
  });

  it('is behind when the projection falls after the end, or when nobody was reached lately', () => {
    expect(computePace({ ...base, directReach: 100, lastFourWeeks: 28 }).behindSchedule).toBe(true);
    const stalled = computePace({ ...base, directReach: 100, lastFourWeeks: 0 });
    expect(stalled.projectedCompletionDate).toBeNull();
    expect(stalled.behindSchedule).toBe(true);
  });

  it('is done at the quota, and past the end everything remaining is needed now', () => {
    const done = computePace({ ...base, directReach: 1600, lastFourWeeks: 0 });
    expect(done).toMatchObject({
      remaining: 0,
      neededPacePerWeek: 0,
      behindSchedule: false,
      quotaProgress: 1.067,
    });
    const late = computePace({ ...base, today: '2027-01-10', directReach: 1400, lastFourWeeks: 56 });
    expect(late).toMatchObject({ remaining: 100, neededPacePerWeek: 100, behindSchedule: true });
  });
});
