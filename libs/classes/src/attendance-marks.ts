import { vnDateTime } from '../../platform/src';
import { Precedence, ProposedMark, STATUS_WORDS } from './attendance.precedence';
import { StoredMark } from './attendance.repository';
import { AttendanceStatus } from './class.entities';
import { SyncCurrentMarkDto, SyncMarkDto, SyncResultDto } from './class.dto';

/*
 * What becomes of a mark some path proposes — a roster, an offline sync, a QR check-in, an import, a merge:
 * the precedence rule's outcome, the change it makes, how the audit trail records it and how an offline
 * device is answered.
 */

/**
 * A session takes marks from this long before it starts (learners arrive early, a trainer may open the
 * roster then); before that, a mark would be for a session not yet held. QR check-in is open from this long
 * before the start until this long after the end.
 */
export const SESSION_MARGIN_MS = 30 * 60 * 1000;

export function sessionStarted(session: { startsAt: string | Date }, now: Date): boolean {
  return now.getTime() >= new Date(session.startsAt).getTime() - SESSION_MARGIN_MS;
}

/** A mark some path wants recorded for a (session, person) of a class. */
export interface MarkProposal extends ProposedMark {
  sessionId: string;
  personId: string;
  classId: string;
  recordedBy: string | null;
}

/** What became of a proposed mark: the rule's decision, the mark stored before and, when written, after. */
export interface MarkOutcome {
  proposal: MarkProposal;
  precedence: Precedence;
  before?: StoredMark;
  after?: StoredMark;
}

/** A mark's fields as the audit trail keeps them (all null when there was no mark). */
export function auditState(mark: StoredMark | undefined) {
  return {
    status: mark?.status ?? null,
    method: mark?.method ?? null,
    recordedAt: mark ? mark.recordedAt.toISOString() : null,
    recordedBy: mark?.recordedBy ?? null,
    version: mark?.version ?? null,
  };
}

/** A mark of a (session, person) that changed: written (`after`), or removed (no `after`). */
export interface MarkChange {
  sessionId: string;
  personId: string;
  before?: StoredMark;
  after?: StoredMark;
}

/** The marks written among these outcomes, as changes. */
export function changesOf(outcomes: MarkOutcome[]): MarkChange[] {
  return outcomes
    .filter((o) => o.after)
    .map((o) => ({
      sessionId: o.proposal.sessionId,
      personId: o.proposal.personId,
      before: o.before,
      after: o.after,
    }));
}

/**
 * The marks an entry of the audit trail records: for every change, in the same order, what was stored before
 * (nulls when nothing was) and after (nulls when the mark was removed) — status, method, time, author, version.
 */
export function auditedMarks(changes: MarkChange[]): { before: object[]; after: object[] } {
  const key = (k: MarkChange) => ({ sessionId: k.sessionId, personId: k.personId });
  return {
    before: changes.map((k) => ({ ...key(k), ...auditState(k.before) })),
    after: changes.map((k) => ({ ...key(k), ...auditState(k.after) })),
  };
}

function describe(mark: StoredMark): SyncCurrentMarkDto {
  return {
    status: mark.status,
    recordedAt: mark.recordedAt.toISOString(),
    method: mark.method,
    version: mark.version,
  };
}

/** Why an offline mark lost to a learner's check-in, in the words a trainer reads. */
function conflictReason(kept: StoredMark, offered: AttendanceStatus): string {
  const when = kept.checkedInAt ? ` lúc ${vnDateTime(kept.checkedInAt)}` : '';
  // A late check-in since corrected to present is no longer the QR's own word.
  const standing = STATUS_WORDS[kept.status].toLowerCase();
  return (
    `học viên đã tự điểm danh bằng mã QR${when} (${kept.method === 'qr' ? standing : `đang lưu: ${standing}`}); ` +
    `điểm danh "${STATUS_WORDS[offered].toLowerCase()}" từ thiết bị chưa thấy bản ghi này nên không được ghi — ` +
    'nếu cần, sửa trên danh sách điểm danh'
  );
}

const AGREES_WITH_CHECKIN = 'trùng với điểm danh QR của học viên: giữ nguyên bản ghi QR';

/** The (class, person) pairs whose marks were written. */
export function writtenPairs(outcomes: MarkOutcome[]): { classId: string; personId: string }[] {
  return outcomes
    .filter((o) => o.after)
    .map((o) => ({ classId: o.proposal.classId, personId: o.proposal.personId }));
}

/** The answer to an offline mark that went through the precedence rule. */
export function syncResult(mark: SyncMarkDto, outcome: MarkOutcome): SyncResultDto {
  const { before } = outcome;
  switch (outcome.precedence) {
    case 'write':
      return before && before.status !== mark.status
        ? { clientId: mark.clientId, result: 'applied_over', current: describe(before) }
        : { clientId: mark.clientId, result: 'applied' };
    case 'keep':
      return {
        clientId: mark.clientId,
        result: 'applied',
        reason: AGREES_WITH_CHECKIN,
        current: describe(before!),
      };
    case 'stale':
      return {
        clientId: mark.clientId,
        result: 'stale',
        reason: 'đã có điểm danh mới hơn',
        current: describe(before!),
      };
    case 'conflict':
      return {
        clientId: mark.clientId,
        result: 'conflict',
        reason: conflictReason(before!, mark.status),
        current: describe(before!),
      };
  }
}
