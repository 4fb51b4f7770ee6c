import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Policy, Principal } from '../../access/src';
import { AuditEntry, AuditService } from '../../audit/src';
import { Clock, vnDateTime } from '../../platform/src';
import { nextCheckedInAt, Precedence, precedence, ProposedMark, STATUS_WORDS } from './attendance.precedence';
import { AttendanceDerivedWork } from './attendance-outbox';
import { AttendanceRepository, StoredMark } from './attendance.repository';
import { AttendanceMethod, AttendanceStatus } from './class.entities';
import {
  AttendanceConflictDto,
  EnrolmentDto,
  RosterDto,
  SyncCurrentMarkDto,
  SyncMarkDto,
  SyncResult,
  SyncResultDto,
} from './class.dto';
import { ClassErrors } from './class.errors';
import { ClassRepository, ClassRow } from './class.repository';
import { canManageClass } from './class.scope';
import { ClassService } from './class.service';
import { CompletionService } from './completion.service';
import { EnrolmentRepository } from './enrolment.repository';
import { toEnrolmentDto } from './enrolment.service';

/** Marks are accepted this far ahead of the server's clock (devices drift), no further. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
/**
 * A session takes marks from this long before it starts (learners arrive early, a trainer may open the
 * roster then); before that, a mark would be for a session not yet held. QR check-in is open from this long
 * before the start until this long after the end.
 */
export const SESSION_MARGIN_MS = 30 * 60 * 1000;

export function sessionStarted(session: { startsAt: string | Date }, now: Date): boolean {
  return now.getTime() >= new Date(session.startsAt).getTime() - SESSION_MARGIN_MS;
}

export interface AttendanceSheet {
  class: { id: string; title: string; status: string };
  sessions: { id: string; position: number; startsAt: string }[];
  rows: (EnrolmentDto & {
    marks: Record<string, AttendanceStatus | null>;
    versions: Record<string, number>;
    methods: Record<string, AttendanceMethod | null>;
  })[];
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
function auditState(mark: StoredMark | undefined) {
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

@Injectable()
export class AttendanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly classes: ClassService,
    private readonly classRepository: ClassRepository,
    private readonly enrolments: EnrolmentRepository,
    private readonly attendance: AttendanceRepository,
    private readonly completion: CompletionService,
    private readonly derived: AttendanceDerivedWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The class's attendance: every enrolled learner × every session, with each mark's version and method. */
  async sheet(principal: Principal, classId: string): Promise<AttendanceSheet> {
    const c = await this.classes.visible(principal, classId);
    const m = this.dataSource.manager;
    const roster = await this.enrolments.ofClass(m, classId);
    const marks = await this.attendance.ofClass(m, classId);
    const byKey = new Map(marks.map((k) => [`${k.sessionId}|${k.personId}`, k]));
    const perSession = <T>(personId: string, value: (k: StoredMark | undefined) => T) =>
      Object.fromEntries(c.sessions.map((s) => [s.id, value(byKey.get(`${s.id}|${personId}`))]));
    return {
      class: { id: c.id, title: c.title, status: c.status },
      sessions: c.sessions.map((s) => ({
        id: s.id,
        position: s.position,
        startsAt: new Date(s.startsAt).toISOString(),
      })),
      rows: roster.map((e) => ({
        ...toEnrolmentDto(e),
        marks: perSession(e.personId, (k) => k?.status ?? null),
        versions: perSession(e.personId, (k) => k?.version ?? 0),
        methods: perSession(e.personId, (k) => k?.method ?? null),
      })),
    };
  }

  /**
   * The offline marks of a class's sessions that were answered `conflict`, newest first, each with the mark it
   * lost to and the mark standing now: resolved once the mark has changed since (or is gone), or agrees with
   * the device.
   */
  async conflicts(principal: Principal, classId: string): Promise<AttendanceConflictDto[]> {
    await this.classes.visible(principal, classId);
    const rows = await this.attendance.conflicts(this.dataSource.manager, classId);
    return rows.map((r) => ({
      clientId: r.clientId,
      session: { id: r.sessionId, position: r.position, startsAt: new Date(r.startsAt).toISOString() },
      person: { id: r.personId, fullName: r.fullName },
      status: r.status,
      recordedAt: new Date(r.recordedAt).toISOString(),
      receivedAt: new Date(r.receivedAt).toISOString(),
      kept: r.kept,
      current: r.now && { ...r.now, recordedAt: new Date(r.now.recordedAt).toISOString() },
      // No mark any more (its record was merged away) leaves nothing to resolve.
      resolved: !r.now || r.now.status === r.status || r.now.version !== r.kept?.version,
    }));
  }

  /** The trainer's roster for one session: marks recorded now, by the caller, over whatever is stored. */
  async roster(
    principal: Principal,
    classId: string,
    sessionId: string,
    dto: RosterDto,
  ): Promise<AttendanceSheet> {
    const c = await this.classes.manageable(principal, classId);
    const session = c.sessions.find((s) => s.id === sessionId);
    if (!session) throw ClassErrors.sessionNotFound();
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const enrolled = new Set(
        (await this.enrolments.ofClass(m, classId))
          .filter((e) => e.status !== 'withdrawn')
          .map((e) => e.personId),
      );
      const problems = dto.marks
        .map((mark, i) => ({ mark, i }))
        .filter(({ mark }) => !enrolled.has(mark.personId))
        .map(({ i }) => ({ field: `marks[${i}].personId`, reason: 'không có tên trong lớp' }));
      const keys = dto.marks.map((k) => k.personId);
      if (new Set(keys).size !== keys.length)
        problems.push({ field: 'marks', reason: 'mỗi người chỉ một dòng' });
      if (problems.length) throw ClassErrors.invalid(problems);
      await this.write(
        m,
        c,
        dto.marks.map((k) => ({ ...k, sessionId })),
        { method: 'roster', by: principal.id, at: now, action: 'attendance.roster' },
      );
    });
    return this.sheet(principal, classId);
  }

  /**
   * Marks made online, now — a roster, a QR check-in, an import — written by the precedence rule: the class
   * must be open and the session started; completion and reach follow; the marks written go to the audit
   * trail, before and after, in one entry (with `extra` beside them).
   */
  async write(
    m: EntityManager,
    c: ClassRow,
    marks: { sessionId: string; personId: string; status: AttendanceStatus }[],
    how: {
      method: Exclude<AttendanceMethod, 'offline_sync'>;
      by: string | null;
      at: Date;
      action: string;
      extra?: Record<string, unknown>;
    },
  ): Promise<MarkOutcome[]> {
    let outcomes: MarkOutcome[] = [];
    if (marks.length) {
      this.assertOpen(c);
      for (const mark of marks) {
        const session = c.sessions.find((s) => s.id === mark.sessionId);
        if (session && !sessionStarted(session, how.at))
          throw ClassErrors.sessionNotStarted(session.position, session.startsAt);
      }
      await this.classRepository.lock(m, c.id);
      outcomes = await this.settle(
        m,
        marks.map((k) => ({
          ...k,
          classId: c.id,
          method: how.method,
          recordedBy: how.by,
          recordedAt: how.at,
        })),
      );
      await this.afterWrite(m, [c], outcomes);
    }
    const { before, after } = auditedMarks(changesOf(outcomes));
    if (after.length || how.extra) {
      await this.audit.record(
        {
          action: how.action,
          entityType: 'attendance',
          entityId: c.id,
          before: { marks: before },
          after: { ...how.extra, marks: after },
          scopePaths: [c.unitPath],
          ...(how.by === null ? { actorId: null } : {}),
        },
        m,
      );
    }
    return outcomes;
  }

  /**
   * Offline sync: each mark carries the device's id for it, and the version of the stored mark the device
   * showed. A mark seen before changes nothing (duplicate, with the first answer); the rest go through the
   * precedence rule (docs/attendance.md): applied, applied_over, stale, or conflict when it would lower a
   * learner's QR check-in its device had not seen. Invalid marks are rejected one by one, never the batch.
   */
  async sync(principal: Principal, marks: SyncMarkDto[]): Promise<{ results: SyncResultDto[] }> {
    const now = this.clock.now();
    const results = new Map<string, SyncResultDto>();
    const reject = (clientId: string, reason: string) =>
      results.set(clientId, { clientId, result: 'rejected', reason });
    const seenInBatch = new Set<string>();
    const repeatedIds = new Map<number, SyncResultDto>();
    const candidates: SyncMarkDto[] = [];
    for (const [index, mark] of marks.entries()) {
      if (seenInBatch.has(mark.clientId)) {
        repeatedIds.set(index, {
          clientId: mark.clientId,
          result: 'rejected',
          reason: 'clientId lặp lại trong cùng một lô',
        });
        continue;
      }
      seenInBatch.add(mark.clientId);
      if (Date.parse(mark.recordedAt) > now.getTime() + CLOCK_SKEW_MS)
        reject(mark.clientId, 'thời điểm điểm danh ở tương lai');
      else candidates.push(mark);
    }
    await this.dataSource.transaction(async (m) => {
      const fresh = new Set(await this.attendance.recordSyncMarks(m, candidates, principal.id));
      const replays = candidates.filter((k) => !fresh.has(k.clientId));
      for (const earlier of await this.attendance.syncResults(
        m,
        replays.map((k) => k.clientId),
      )) {
        results.set(earlier.clientId, {
          clientId: earlier.clientId,
          result: 'duplicate',
          earlierResult: earlier.result as SyncResult,
          reason: `đã nhận trước đó (${earlier.result})${earlier.reason ? `: ${earlier.reason}` : ''}`,
          current: earlier.current,
        });
      }
      const pending = candidates.filter((k) => fresh.has(k.clientId));
      const sessions = await this.attendance.sessionsWithClass(m, [
        ...new Set(pending.map((k) => k.sessionId)),
      ]);
      const classes = new Map(
        (await this.classRepository.findByIds([...new Set(sessions.values())], m)).map((c) => [c.id, c]),
      );
      const enrolled = await this.attendance.enrolledPairs(
        m,
        pending.map((k) => ({ classId: sessions.get(k.sessionId) ?? '', personId: k.personId })),
      );
      // The newest mark per (session, person) in the batch goes forward; earlier ones are superseded.
      const newest = new Map<string, SyncMarkDto>();
      for (const mark of pending) {
        const classId = sessions.get(mark.sessionId);
        const c = classId ? classes.get(classId) : undefined;
        if (!c) reject(mark.clientId, 'không có buổi học này');
        else if (!(Policy.isAdmin(principal) || canManageClass(principal, c)))
          reject(mark.clientId, 'không có quyền điểm danh lớp này');
        else if (c.status === 'draft' || c.status === 'cancelled')
          reject(mark.clientId, `lớp đang ở trạng thái "${c.status}"`);
        else if (!enrolled.has(`${c.id}|${mark.personId}`))
          reject(mark.clientId, 'người này không có tên trong lớp');
        else if (
          !sessionStarted(
            c.sessions.find((s) => s.id === mark.sessionId)!,
            now,
          )
        )
          reject(mark.clientId, 'buổi học chưa diễn ra');
        else {
          const key = `${mark.sessionId}|${mark.personId}`;
          const other = newest.get(key);
          if (other && Date.parse(other.recordedAt) >= Date.parse(mark.recordedAt)) {
            results.set(mark.clientId, {
              clientId: mark.clientId,
              result: 'superseded',
              reason: 'có điểm danh mới hơn trong cùng lô',
            });
            continue;
          }
          if (other)
            results.set(other.clientId, {
              clientId: other.clientId,
              result: 'superseded',
              reason: 'có điểm danh mới hơn trong cùng lô',
            });
          newest.set(key, mark);
        }
      }
      const going = [...newest.values()];
      await this.classRepository.lockAll(m, [...new Set(going.map((k) => sessions.get(k.sessionId)!))]);
      const outcomes = await this.settle(
        m,
        going.map((k) => ({
          sessionId: k.sessionId,
          personId: k.personId,
          classId: sessions.get(k.sessionId)!,
          status: k.status,
          method: 'offline_sync',
          recordedBy: principal.id,
          recordedAt: new Date(k.recordedAt),
          baseVersion: k.baseVersion,
        })),
      );
      going.forEach((mark, i) => results.set(mark.clientId, syncResult(mark, outcomes[i])));
      await this.attendance.setSyncResults(
        m,
        [...results.values()].filter((r) => fresh.has(r.clientId)),
      );
      // Completion, reach, certificates and KPI facts follow in the worker (attendance-outbox.ts).
      const pairs = writtenPairs(outcomes);
      await this.start(m, [...classes.values()], pairs);
      await this.derived.record(m, pairs);
      // One entry per class of the batch: its marks written, before and after, and its conflicts.
      const entries: AuditEntry[] = [];
      for (const c of classes.values()) {
        const own = outcomes.filter((o) => o.proposal.classId === c.id);
        const { before, after } = auditedMarks(changesOf(own));
        const conflicts = own
          .filter((o) => o.precedence === 'conflict')
          .map((o) => ({
            sessionId: o.proposal.sessionId,
            personId: o.proposal.personId,
            status: o.proposal.status,
            recordedAt: o.proposal.recordedAt.toISOString(),
            baseVersion: o.proposal.baseVersion ?? null,
            kept: auditState(o.before),
          }));
        if (!after.length && !conflicts.length) continue;
        entries.push({
          action: 'attendance.synced',
          entityType: 'attendance',
          entityId: c.id,
          before: { marks: before },
          after: { marks: after, ...(conflicts.length ? { conflicts } : {}) },
          scopePaths: [c.unitPath],
        });
      }
      await this.audit.recordMany(entries, m);
    });
    return { results: marks.map((k, i) => repeatedIds.get(i) ?? results.get(k.clientId)!) };
  }

  /**
   * Decides each proposed mark against the stored one by the precedence rule and writes the winners. The
   * caller holds the lock of every class concerned; each (session, person) appears once.
   */
  private async settle(m: EntityManager, proposals: MarkProposal[]): Promise<MarkOutcome[]> {
    const stored = new Map(
      (await this.attendance.current(m, proposals)).map((k) => [`${k.sessionId}|${k.personId}`, k]),
    );
    const outcomes = proposals.map((proposal): MarkOutcome => {
      const before = stored.get(`${proposal.sessionId}|${proposal.personId}`);
      const decided = precedence(before, proposal);
      if (decided !== 'write') return { proposal, precedence: decided, before };
      const after: StoredMark = {
        sessionId: proposal.sessionId,
        personId: proposal.personId,
        status: proposal.status,
        method: proposal.method,
        recordedBy: proposal.recordedBy,
        recordedAt: proposal.recordedAt,
        version: (before?.version ?? 0) + 1,
        checkedInAt: nextCheckedInAt(before, proposal),
      };
      return { proposal, precedence: decided, before, after };
    });
    await this.attendance.upsert(
      m,
      outcomes.filter((o) => o.after).map((o) => ({ ...o.after!, classId: o.proposal.classId })),
    );
    return outcomes;
  }

  /** Moves scheduled classes that just got their first marks to "in progress", then re-decides completion. */
  private async afterWrite(m: EntityManager, classes: ClassRow[], outcomes: MarkOutcome[]): Promise<void> {
    const pairs = writtenPairs(outcomes);
    if (!pairs.length) return;
    await this.start(m, classes, pairs);
    await this.completion.afterMarks(m, pairs);
  }

  /** Scheduled classes that just got their first marks are "in progress". */
  private async start(
    m: EntityManager,
    classes: ClassRow[],
    pairs: { classId: string; personId: string }[],
  ): Promise<void> {
    const marked = new Set(pairs.map((p) => p.classId));
    for (const c of classes.filter((k) => k.status === 'scheduled' && marked.has(k.id)))
      await this.classRepository.setStatus(m, c.id, 'in_progress');
  }

  private assertOpen(c: ClassRow): void {
    if (c.status === 'draft' || c.status === 'cancelled') throw ClassErrors.notOpen(c.status);
  }
}

/** The (class, person) pairs whose marks were written. */
function writtenPairs(outcomes: MarkOutcome[]): { classId: string; personId: string }[] {
  return outcomes
    .filter((o) => o.after)
    .map((o) => ({ classId: o.proposal.classId, personId: o.proposal.personId }));
}

/** The answer to an offline mark that went through the precedence rule. */
function syncResult(mark: SyncMarkDto, outcome: MarkOutcome): SyncResultDto {
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
