import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PersonMergeStep } from '../../people/src';
import { AuditService } from '../../audit/src';
import { outranks } from './attendance.precedence';
import { AttendanceRepository, Mark } from './attendance.repository';
import { auditedMarks, MarkChange } from './attendance-marks';
import { ClassRepository } from './class.repository';
import { CompletionService } from './completion.service';
import { EnrolmentRepository } from './enrolment.repository';

/**
 * Merging people: the source's enrolments and marks become the survivor's. Where both were in the same class
 * the survivor keeps one enrolment; where both were marked for the same session, the mark that records more
 * attendance stands (a standing QR check-in on a tie, then the survivor's: `outranks`); completion and reach
 * are then re-decided for the survivor's classes. Every mark removed or written is in the audit trail, before
 * and after, one entry per class.
 */
@Injectable()
export class ClassMergeStep implements PersonMergeStep {
  readonly name = 'classes';

  constructor(
    private readonly completion: CompletionService,
    private readonly attendance: AttendanceRepository,
    private readonly classes: ClassRepository,
    private readonly enrolments: EnrolmentRepository,
    private readonly audit: AuditService,
  ) {}

  async merge(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const marks = await this.mergeMarks(m, survivorId, sourceId);
    const moved = await this.enrolments.moveToSurvivor(m, survivorId, sourceId);
    // Both in one class: one seat is freed.
    const doubled = await this.enrolments.deleteOfPerson(m, sourceId);
    for (const { classId } of doubled) await this.enrolments.releaseMergedSeat(m, classId);
    const survivorEnrolments = await this.enrolments.ofPersonWithClass(m, survivorId);
    await this.completion.afterEnrolments(
      m,
      survivorEnrolments.map((e) => e.id),
    );
    await this.completion.refreshReach(
      m,
      survivorEnrolments
        .filter((e) => e.kind === 'citizen')
        .map((e) => ({ trainerId: e.leadTrainerId, personId: survivorId })),
    );
    await this.completion.learnersChanged(
      m,
      [...new Set(survivorEnrolments.map((e) => e.classId))].flatMap((classId) => [
        { classId, personId: survivorId },
        { classId, personId: sourceId },
      ]),
    );
    return marks + moved.length + doubled.length;
  }

  /** The source's marks become the survivor's where they outrank (or there is none); returns how many did. */
  private async mergeMarks(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const classes = await this.attendance.classesMarking(m, [survivorId, sourceId]);
    if (!classes.length) return 0;
    // Under the classes' locks, as every write of marks.
    await this.classes.lockAll(
      m,
      classes.map((c) => c.classId),
    );
    const all = await this.attendance.ofPeople(m, [survivorId, sourceId]);
    const survivors = new Map(all.filter((k) => k.personId === survivorId).map((k) => [k.sessionId, k]));
    const changes: (MarkChange & { classId: string })[] = [];
    const written: Mark[] = [];
    for (const from of all.filter((k) => k.personId === sourceId)) {
      const { classId, sessionId } = from;
      changes.push({ classId, sessionId, personId: sourceId, before: from });
      const kept = survivors.get(sessionId);
      if (kept && !outranks(from, kept)) continue;
      const after: Mark = { ...from, personId: survivorId, version: (kept?.version ?? 0) + 1 };
      written.push(after);
      changes.push({ classId, sessionId, personId: survivorId, before: kept, after });
    }
    await this.attendance.deleteOf(m, sourceId);
    await this.attendance.upsert(m, written);
    for (const c of classes) {
      const own = changes.filter((k) => k.classId === c.classId);
      if (!own.length) continue;
      const { before, after } = auditedMarks(own);
      await this.audit.record(
        {
          action: 'attendance.merged',
          entityType: 'attendance',
          entityId: c.classId,
          before: { marks: before },
          after: { marks: after, survivorId, sourceId },
          scopePaths: [c.unitPath],
        },
        m,
      );
    }
    return written.length;
  }
}
