import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { Clock } from '../../platform/src';
import { AttendanceRepository, Mark, StoredMark } from './attendance.repository';
import { AttendanceMethod, AttendanceStatus } from './class.entities';
import { EnrolmentDto, RosterDto, SyncMarkDto, SyncResultDto } from './class.dto';
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
  rows: (EnrolmentDto & { marks: Record<string, AttendanceStatus | null> })[];
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
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The class's attendance: every enrolled learner × every session. */
  async sheet(principal: Principal, classId: string): Promise<AttendanceSheet> {
    const c = await this.classes.visible(principal, classId);
    const m = this.dataSource.manager;
    const roster = await this.enrolments.ofClass(m, classId);
    const marks = await this.attendance.ofClass(m, classId);
    const byKey = new Map<string, AttendanceStatus>(
      marks.map((k) => [`${k.sessionId}|${k.personId}`, k.status]),
    );
    return {
      class: { id: c.id, title: c.title, status: c.status },
      sessions: c.sessions.map((s) => ({
        id: s.id,
        position: s.position,
        startsAt: new Date(s.startsAt).toISOString(),
      })),
      rows: roster.map((e) => ({
        ...toEnrolmentDto(e),
        marks: Object.fromEntries(c.sessions.map((s) => [s.id, byKey.get(`${s.id}|${e.personId}`) ?? null])),
      })),
    };
  }

  /** The trainer's roster for one session: marks recorded now, by the caller. */
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
      const applied = await this.write(
        m,
        c,
        dto.marks.map((k) => ({ ...k, sessionId })),
        'roster',
        principal.id,
        now,
      );
      await this.audit.record(
        {
          action: 'attendance.roster',
          entityType: 'class_session',
          entityId: sessionId,
          after: { marks: dto.marks, applied: applied.length },
          scopePaths: [c.unitPath],
        },
        m,
      );
    });
    return this.sheet(principal, classId);
  }

  /**
   * Marks recorded elsewhere (a QR check-in, an import), written with the same rules: the class must be
   * open for marks, the last writer wins, completion and reach follow.
   */
  async write(
    m: EntityManager,
    c: ClassRow,
    marks: { sessionId: string; personId: string; status: AttendanceStatus }[],
    method: AttendanceMethod,
    by: string | null,
    at: Date,
  ): Promise<{ sessionId: string; personId: string }[]> {
    this.assertOpen(c);
    for (const mark of marks) {
      const session = c.sessions.find((s) => s.id === mark.sessionId);
      if (session && !sessionStarted(session, at))
        throw ClassErrors.sessionNotStarted(session.position, session.startsAt);
    }
    await this.classRepository.lock(m, c.id);
    const applied = await this.attendance.upsert(
      m,
      marks.map((k) => ({ ...k, classId: c.id, method, recordedBy: by, recordedAt: at })),
    );
    await this.afterWrite(
      m,
      [c],
      applied.map((a) => ({ classId: c.id, personId: a.personId })),
    );
    return applied;
  }

  /**
   * Offline sync: each mark carries the device's id for it. A mark seen before changes nothing (duplicate);
   * a mark older than the one stored loses (stale, with the current one reported); a newer one wins
   * (applied, or applied_over when it replaced a different mark). Invalid marks are rejected one by one,
   * never the batch.
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
          reason: `đã nhận trước đó (${earlier.result})`,
        });
      }
      const pending = candidates.filter((k) => fresh.has(k.clientId));
      const sessions = await this.attendance.sessionsWithClass(m, [
        ...new Set(pending.map((k) => k.sessionId)),
      ]);
      const classes = new Map<string, ClassRow>();
      for (const classId of new Set(sessions.values())) {
        const row = await this.classRepository.findById(classId, m);
        if (row) classes.set(classId, row);
      }
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
      const before = new Map(
        (await this.attendance.current(m, going)).map((k) => [`${k.sessionId}|${k.personId}`, k]),
      );
      const toWrite: Mark[] = going.map((k) => ({
        sessionId: k.sessionId,
        personId: k.personId,
        classId: sessions.get(k.sessionId)!,
        status: k.status,
        method: 'offline_sync',
        recordedBy: principal.id,
        recordedAt: new Date(k.recordedAt),
      }));
      const applied = new Set(
        (await this.attendance.upsert(m, toWrite)).map((a) => `${a.sessionId}|${a.personId}`),
      );
      for (const mark of going) {
        const key = `${mark.sessionId}|${mark.personId}`;
        const previous = before.get(key);
        if (applied.has(key)) {
          const over = previous && previous.status !== mark.status;
          results.set(mark.clientId, {
            clientId: mark.clientId,
            result: over ? 'applied_over' : 'applied',
            current: over ? describe(previous) : undefined,
          });
        } else {
          results.set(mark.clientId, {
            clientId: mark.clientId,
            result: 'stale',
            reason: 'đã có điểm danh mới hơn',
            current: previous && describe(previous),
          });
        }
      }
      await this.attendance.setSyncResults(
        m,
        [...results.values()].filter((r) => fresh.has(r.clientId)),
      );
      const touched = toWrite.filter((k) => applied.has(`${k.sessionId}|${k.personId}`));
      await this.afterWrite(
        m,
        [...classes.values()],
        touched.map((k) => ({ classId: k.classId, personId: k.personId })),
      );
      if (touched.length) {
        await this.audit.record(
          {
            action: 'attendance.synced',
            entityType: 'attendance',
            after: {
              marks: touched.map((k) => ({
                sessionId: k.sessionId,
                personId: k.personId,
                status: k.status,
                recordedAt: k.recordedAt,
              })),
            },
            scopePaths: [...new Set([...classes.values()].map((c) => c.unitPath))],
          },
          m,
        );
      }
    });
    return { results: marks.map((k, i) => repeatedIds.get(i) ?? results.get(k.clientId)!) };
  }

  /** Moves scheduled classes that just got their first marks to "in progress", then re-decides completion. */
  private async afterWrite(
    m: EntityManager,
    classes: ClassRow[],
    pairs: { classId: string; personId: string }[],
  ): Promise<void> {
    if (!pairs.length) return;
    const started = classes.filter((c) => c.status === 'scheduled' && pairs.some((p) => p.classId === c.id));
    for (const c of started) await this.classRepository.setStatus(m, c.id, 'in_progress');
    await this.completion.afterMarks(m, pairs);
  }

  private assertOpen(c: ClassRow): void {
    if (c.status === 'draft' || c.status === 'cancelled') throw ClassErrors.notOpen(c.status);
  }
}

function describe(mark: StoredMark): { status: string; recordedAt: string; method: string } {
  return { status: mark.status, recordedAt: new Date(mark.recordedAt).toISOString(), method: mark.method };
}
