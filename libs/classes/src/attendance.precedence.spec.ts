import { nextCheckedInAt, precedence, ProposedMark, StandingMark } from './attendance.precedence';
import { ATTENDANCE_STATUSES, AttendanceStatus } from './class.entities';

const at = (hhmm: string) => new Date(`2026-11-20T${hhmm}:00+07:00`);

/** A learner's check-in at 08:05, as stored (version 1). */
const checkIn = (status: AttendanceStatus = 'present'): StandingMark => ({
  status,
  method: 'qr',
  recordedAt: at('08:05'),
  version: 1,
  checkedInAt: at('08:05'),
});
const offline = (status: AttendanceStatus, time: string, baseVersion?: number): ProposedMark => ({
  status,
  method: 'offline_sync',
  recordedAt: at(time),
  baseVersion,
});

describe('the precedence of attendance sources', () => {
  it('writes the first mark of a pair, whatever its source', () => {
    for (const method of ['roster', 'qr', 'import', 'offline_sync'] as const)
      expect(precedence(undefined, { status: 'absent', method, recordedAt: at('08:00') })).toBe('write');
  });

  it('refuses an unseen offline mark that lowers a check-in: every lower status, with or without a base', () => {
    expect(precedence(checkIn('present'), offline('late', '08:30'))).toBe('conflict');
    expect(precedence(checkIn('present'), offline('excused', '08:30', 0))).toBe('conflict');
    expect(precedence(checkIn('late'), offline('absent', '08:30'))).toBe('conflict');
    // A base from some other version is not the check-in.
    expect(precedence({ ...checkIn(), version: 3 }, offline('absent', '08:30', 2))).toBe('conflict');
  });

  it('writes an offline mark made against the stored version, even lowering and by a slow clock', () => {
    expect(precedence(checkIn(), offline('absent', '07:50', 1))).toBe('write');
  });

  it('keeps the check-in as it is when a mark agrees with it, from any source', () => {
    for (const status of ['present', 'late'] as const) {
      expect(precedence(checkIn(status), offline(status, '09:00'))).toBe('keep');
      expect(precedence(checkIn(status), offline(status, '09:00', 1))).toBe('keep');
      expect(precedence(checkIn(status), { status, method: 'roster', recordedAt: at('09:00') })).toBe('keep');
    }
  });

  it('writes a mark that raises a late check-in to present: no attendance is lost', () => {
    expect(precedence(checkIn('late'), offline('present', '09:00'))).toBe('write');
    expect(nextCheckedInAt(checkIn('late'), offline('present', '09:00'))).toEqual(at('08:05'));
  });

  it('leaves older offline marks stale, as the clocks order them', () => {
    expect(precedence(checkIn(), offline('absent', '08:00'))).toBe('stale');
    const synced: StandingMark = { ...checkIn(), method: 'offline_sync', checkedInAt: null };
    expect(precedence(synced, offline('absent', '08:00'))).toBe('stale');
  });

  it('is last-writer-wins between marks without a check-in behind them', () => {
    const synced: StandingMark = {
      status: 'present',
      method: 'offline_sync',
      recordedAt: at('08:10'),
      version: 1,
      checkedInAt: null,
    };
    for (const status of ATTENDANCE_STATUSES)
      expect(precedence(synced, offline(status, '08:20'))).toBe('write');
  });

  it('lets roster and import, made online, override a check-in; a lowered check-in no longer protects', () => {
    for (const method of ['roster', 'import'] as const) {
      const proposed: ProposedMark = { status: 'absent', method, recordedAt: at('09:00') };
      expect(precedence(checkIn(), proposed)).toBe('write');
      expect(nextCheckedInAt(checkIn(), proposed)).toBeNull();
    }
    expect(nextCheckedInAt(checkIn(), { status: 'late', method: 'roster', recordedAt: at('09:00') })).toEqual(
      at('08:05'),
    );
    const lowered: StandingMark = {
      ...checkIn(),
      status: 'absent',
      method: 'roster',
      version: 2,
      checkedInAt: null,
    };
    expect(precedence(lowered, offline('excused', '09:30'))).toBe('write');
  });

  it('records the time of a QR check-in as the check-in', () => {
    expect(nextCheckedInAt(undefined, { status: 'late', method: 'qr', recordedAt: at('08:20') })).toEqual(
      at('08:20'),
    );
  });
});
