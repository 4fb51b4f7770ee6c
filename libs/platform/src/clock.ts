import { Injectable } from '@nestjs/common';

/** Vietnam has used UTC+7 without daylight saving since 1975, so its calendar day is a fixed offset away. */
export const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const VN_OFFSET_MS = 7 * 60 * 60 * 1000;

/** The calendar date (YYYY-MM-DD) in Vietnam at the given instant (a Date or an ISO timestamp). */
export function vnDate(instant: Date | string): string {
  return new Date(new Date(instant).getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

const VN_MINUTE = new Intl.DateTimeFormat('vi-VN', {
  timeZone: VN_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** An instant as Vietnamese readers write it, to the minute, in Vietnam's time: "08:05 20/11/2026". */
export function vnDateTime(instant: Date | string): string {
  return VN_MINUTE.format(new Date(instant));
}

/** The instant a Vietnamese calendar day starts. */
export function vnStartOfDay(date: string): Date {
  return new Date(`${date}T00:00:00+07:00`);
}

const DAY_MS = 86_400_000;

/** The calendar day `days` after `day` (both YYYY-MM-DD; days may be negative). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (YYYY-MM-DD), negative when `to` comes first. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The clock is injected so that time-dependent rules (pace, token expiry, "today") can be tested. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  today(): string {
    return vnDate(this.now());
  }
}

/** A clock that stands still (or moves only when told): for tests and reproducible runs. */
export class FixedClock extends Clock {
  constructor(private instant: Date) {
    super();
  }

  override now(): Date {
    return new Date(this.instant);
  }

  set(instant: Date): void {
    this.instant = instant;
  }

  advance(ms: number): void {
    this.instant = new Date(this.instant.getTime() + ms);
  }
}
