const VN = 'Asia/Ho_Chi_Minh';
const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: VN,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const timeFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: VN,
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const weekdayFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: VN,
  weekday: 'long',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** The calendar day of an instant in Vietnam: "2026-12-07". */
export function vnDay(iso: string | Date): string {
  return dayFormat.format(typeof iso === 'string' ? new Date(iso) : iso);
}

export function vnTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

export function vnWeekday(iso: string): string {
  return weekdayFormat.format(new Date(iso));
}

/** "08:00–09:30" */
export function span(startsAt: string, endsAt: string): string {
  return `${vnTime(startsAt)}–${vnTime(endsAt)}`;
}

/** A Vietnam wall-clock day and time as an instant with its offset: "2026-12-07T08:00:00+07:00". */
export function vnInstant(day: string, time: string): string {
  return `${day}T${time}:00+07:00`;
}

export function vnClock(iso: string): string {
  const t = vnTime(iso);
  return t.length === 5 ? t : t.padStart(5, '0');
}
