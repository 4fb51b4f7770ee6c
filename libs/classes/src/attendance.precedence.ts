import { AttendanceMethod, AttendanceStatus } from './class.entities';

/**
 * Which attendance mark stands when two sources speak about the same (session, person). The rule, in full, is
 * in docs/attendance.md; this is the one place that decides it, for every path that writes marks.
 *
 * Sources differ in the evidence they carry. A learner's own QR check-in is made on the server, at the
 * server's time, by the learner in the room; a roster edit or an Excel import is a trainer's deliberate act
 * made online; an offline mark is typed on a device that may not have heard of anything the server learnt
 * since it last synchronised. So an offline mark may not take away a self check-in it could not have seen.
 */

/** The statuses as trainers write them (templates, sheets, reasons). */
export const STATUS_WORDS: Record<AttendanceStatus, string> = {
  present: 'Có mặt',
  late: 'Đi muộn',
  excused: 'Vắng có phép',
  absent: 'Vắng',
};

/** How much attendance a status records: present > late > excused > absent. */
const RANK: Record<AttendanceStatus, number> = { present: 3, late: 2, excused: 1, absent: 0 };

export const attended = (status: AttendanceStatus): boolean => status === 'present' || status === 'late';

/** The mark stored for a (session, person), as the rule needs it. */
export interface StandingMark {
  status: AttendanceStatus;
  method: AttendanceMethod;
  recordedAt: Date;
  /** 1 for the first write of the pair, +1 on every write after it. */
  version: number;
  /** When the learner checked in by QR, while that check-in stands (a deliberate "not attended" clears it). */
  checkedInAt: Date | null;
}

/** A mark some source wants written. */
export interface ProposedMark {
  status: AttendanceStatus;
  method: AttendanceMethod;
  recordedAt: Date;
  /**
   * Offline marks only: the version of the stored mark the device showed when the mark was made (0: it showed
   * none). Absent when the client does not say: then the device is taken not to have seen the stored mark.
   */
  baseVersion?: number | null;
}

/**
 * - `write`: the mark replaces what is stored (or is the first);
 * - `keep`: it agrees with a standing self check-in, which stays exactly as the learner left it;
 * - `stale`: an offline mark made before the stored one (by the clocks), which stands;
 * - `conflict`: an offline mark that would lower a self check-in its device had not seen; nothing is written.
 */
export type Precedence = 'write' | 'keep' | 'stale' | 'conflict';

/** A stored mark backed by a learner's own check-in that still counts as attended. */
export const selfCheckedIn = (mark: StandingMark): boolean =>
  mark.checkedInAt !== null && attended(mark.status);

export function precedence(stored: StandingMark | undefined, proposed: ProposedMark): Precedence {
  if (!stored) return 'write';
  // Agreement changes nothing: the check-in keeps its method and time, and so its protection.
  if (selfCheckedIn(stored) && proposed.status === stored.status) return 'keep';
  // Roster, import and QR are made online, now, by someone looking at the server's state: they stand.
  if (proposed.method !== 'offline_sync') return 'write';
  // The device showed exactly what is stored: its mark is a deliberate change made after it, whatever the
  // clocks say.
  if (proposed.baseVersion === stored.version) return 'write';
  if (proposed.recordedAt.getTime() < stored.recordedAt.getTime()) return 'stale';
  if (selfCheckedIn(stored) && RANK[proposed.status] < RANK[stored.status]) return 'conflict';
  return 'write';
}

/**
 * What the stored mark becomes when a proposed one is written: the check-in time is set by a QR check-in,
 * kept while the mark still counts as attended (late corrected to present, say), cleared when a deliberate
 * mark says the learner did not attend after all.
 */
export function nextCheckedInAt(stored: StandingMark | undefined, proposed: ProposedMark): Date | null {
  if (proposed.method === 'qr') return proposed.recordedAt;
  if (!attended(proposed.status)) return null;
  return stored?.checkedInAt ?? null;
}

/**
 * Two records of one person merged, both marked for the same session: the mark that records more attendance
 * stands (the other record was most likely the same learner, not found under that name); on a tie, a standing
 * self check-in; otherwise the survivor's mark.
 */
export function outranks(source: StandingMark, survivor: StandingMark): boolean {
  if (RANK[source.status] !== RANK[survivor.status]) return RANK[source.status] > RANK[survivor.status];
  return selfCheckedIn(source) && !selfCheckedIn(survivor);
}
