import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReachRepository } from '../../trainers/src';
import { AttendanceRepository } from './attendance.repository';

/**
 * After marks change (by any path: roster, QR, import, offline sync) or an enrolment is withdrawn: completion
 * is re-decided for the enrolments touched, and reach for the (lead trainer, person) pairs of citizen
 * classes among them — never more than what the change touched.
 */
@Injectable()
export class CompletionService {
  constructor(
    private readonly attendance: AttendanceRepository,
    private readonly reach: ReachRepository,
  ) {}

  async afterMarks(m: EntityManager, pairs: { classId: string; personId: string }[]): Promise<void> {
    await this.afterEnrolments(m, await this.attendance.enrolmentIds(m, pairs));
  }

  async afterEnrolments(m: EntityManager, enrolmentIds: string[]): Promise<void> {
    const decided = await this.attendance.recomputeCompletion(m, enrolmentIds);
    await this.refreshReach(
      m,
      decided
        .filter((d) => d.kind === 'citizen' && d.changed)
        .map((d) => ({ trainerId: d.leadTrainerId, personId: d.personId })),
    );
  }

  async refreshReach(m: EntityManager, pairs: { trainerId: string; personId: string }[]): Promise<void> {
    const unique = [...new Map(pairs.map((p) => [`${p.trainerId}|${p.personId}`, p])).values()];
    await this.reach.apply(m, await this.attendance.reachDays(m, unique));
  }
}
