import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PersonMergeStep } from '../../people/src';
import { returning } from '../../platform/src';
import { CompletionService } from './completion.service';

/**
 * Merging people: the source's enrolments and marks become the survivor's. Where both were in the same class
 * the survivor keeps one enrolment, with the marks of both (the survivor's where they overlap); completion
 * and reach are then re-decided for the survivor's classes.
 */
@Injectable()
export class ClassMergeStep implements PersonMergeStep {
  readonly name = 'classes';

  constructor(private readonly completion: CompletionService) {}

  async merge(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const marks = await returning<{ sessionId: string }>(
      m,
      `UPDATE attendance a SET person_id = $1
        WHERE a.person_id = $2
          AND NOT EXISTS (SELECT 1 FROM attendance b WHERE b.session_id = a.session_id AND b.person_id = $1)
       RETURNING a.session_id AS "sessionId"`,
      [survivorId, sourceId],
    );
    await m.query(`DELETE FROM attendance WHERE person_id = $1`, [sourceId]);
    const moved = await returning<{ id: string }>(
      m,
      `UPDATE enrolment e SET person_id = $1
        WHERE e.person_id = $2 AND NOT EXISTS (SELECT 1 FROM enrolment s WHERE s.class_id = e.class_id AND s.person_id = $1)
       RETURNING e.id`,
      [survivorId, sourceId],
    );
    // Both in one class: one seat is freed.
    const doubled = await returning<{ classId: string }>(
      m,
      `DELETE FROM enrolment WHERE person_id = $1 RETURNING class_id AS "classId"`,
      [sourceId],
    );
    for (const { classId } of doubled) {
      await m.query(`UPDATE training_class SET enrolled_count = enrolled_count - 1 WHERE id = $1`, [classId]);
    }
    const survivorEnrolments: { id: string; classId: string; leadTrainerId: string; kind: string }[] =
      await m.query(
        `SELECT e.id, e.class_id AS "classId", c.lead_trainer_id AS "leadTrainerId", c.kind FROM enrolment e JOIN training_class c ON c.id = e.class_id
        WHERE e.person_id = $1`,
        [survivorId],
      );
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
    return marks.length + moved.length + doubled.length;
  }
}
