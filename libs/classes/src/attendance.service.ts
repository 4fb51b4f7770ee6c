import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Policy, Principal } from '../../access/src';
import { AuditEntry, AuditService } from '../../audit/src';
import { Clock } from '../../platform/src';
import { nextCheckedInAt, precedence } from './attendance.precedence';
import {
  auditedMarks,
  auditState,
  changesOf,
  MarkOutcome,
  MarkProposal,
  sessionStarted,
  syncResult,
  writtenPairs,
} from './attendance-marks';
import { AttendanceDerivedWork } from './attendance-outbox';
import { AttendanceRepository, StoredMark } from './attendance.repository';
import { AttendanceMethod, AttendanceStatus } from './class.entities';
import {
  AttendanceConflictDto,
  EnrolmentDto,
  RosterDto,
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
export interface AttendanceSheet {
  class: { id: string; title: string; status: string };
  sessions: { id: string; position: number; startsAt: string }[];
  rows: (EnrolmentDto & {
    marks: Record<string, AttendanceStatus | null>;
    versions: Record<string, number>;
    methods: Record<string, AttendanceMethod | null>;
  })[];
}

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
    // A mark is recorded once, with its answer, at the end of the batch's transaction. A batch is taken to be
    // new (as nearly every batch is): if some of its marks were recorded before — a device sending again a
    // batch whose answer it lost, or two requests carrying the same marks at once, the first to commit — the
    // writing finds them, and the batch starts again, looking them up first and answering them as replays.
    const answered = new Map(results);
    for (let attempt = 1; ; attempt++) {
      results.clear();
      for (const [clientId, answer] of answered) results.set(clientId, answer);
      try {
        await this.syncOnce(principal, now, candidates, results, attempt > 1);
        break;
      } catch (error) {
        if (!(error instanceof ReplayedMeanwhile) || attempt === 3) throw error;
      }
    }
    return { results: marks.map((k, i) => repeatedIds.get(i) ?? results.get(k.clientId)!) };
  }

  /**
   * One attempt at a batch's transaction (`sync`); `results` holds the answers decided before it. Marks
   * recorded earlier are looked up first when `replays` says so; otherwise their writing at the end finds them.
   */
  private async syncOnce(
    principal: Principal,
    now: Date,
    candidates: SyncMarkDto[],
    results: Map<string, SyncResultDto>,
    replays: boolean,
  ): Promise<void> {
    const reject = (clientId: string, reason: string) =>
      results.set(clientId, { clientId, result: 'rejected', reason });
    await this.dataSource.transaction(async (m) => {
      const earlierAnswers = replays
        ? await this.attendance.syncResults(
            m,
            candidates.map((k) => k.clientId),
          )
        : [];
      const replayed = new Set(earlierAnswers.map((k) => k.clientId));
      for (const earlier of earlierAnswers) {
        results.set(earlier.clientId, {
          clientId: earlier.clientId,
          result: 'duplicate',
          earlierResult: earlier.result as SyncResult,
          reason: `đã nhận trước đó (${earlier.result})${earlier.reason ? `: ${earlier.reason}` : ''}`,
          current: earlier.current,
        });
      }
      const pending = candidates.filter((k) => !replayed.has(k.clientId));
      // The batch's classes, found by their sessions (session id → class id from the classes' own sessions).
      const classes = new Map(
        (await this.classRepository.findBySessions([...new Set(pending.map((k) => k.sessionId))], m)).map(
          (c) => [c.id, c],
        ),
      );
      const sessions = new Map([...classes.values()].flatMap((c) => c.sessions.map((s) => [s.id, c.id])));
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
      const recorded = await this.attendance.recordSyncMarks(m, pending, results, principal.id);
      if (recorded.length < pending.length) throw new ReplayedMeanwhile();
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

/** Marks of the batch recorded before, or by another request while this one ran (`sync` starts again). */
class ReplayedMeanwhile extends Error {}
