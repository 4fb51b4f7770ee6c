import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReachRepository } from '../../trainers/src';
import { AttendanceRepository, CompletionChange } from './attendance.repository';

/**
 * Told, inside the transaction, about enrolments whose completion changed (certificates), and about every
 * (class, person) whose marks or outcome changed at all (KPI facts).
 */
export interface CompletionListener {
  completionChanged?(m: EntityManager, changes: CompletionChange[]): Promise<void>;
  learnersChanged?(
    m: EntityManager,
    pairs: { classId: string; personId: string }[],
    origin: ChangeOrigin,
  ): Promise<void>;
}

/**
 * Where a change of marks is handled: in a request, whose author waits for the answer, or in the worker's pass
 * over offline sync's outbox, where nobody waits (a listener may leave work for later in the first case).
 */
export type ChangeOrigin = 'request' | 'worker';

/**
 * After marks change (by any path: roster, QR, import, offline sync) or an enrolment is withdrawn: completion
 * is re-decided for the enrolments touched, and reach for the (lead trainer, person) pairs of citizen
 * classes among them — never more than what the change touched.
 */
@Injectable()
export class CompletionService {
  private readonly listeners: CompletionListener[] = [];

  constructor(
    private readonly attendance: AttendanceRepository,
    private readonly reach: ReachRepository,
  ) {}

  listen(listener: CompletionListener): void {
    this.listeners.push(listener);
  }

  async afterMarks(
    m: EntityManager,
    pairs: { classId: string; personId: string }[],
    origin: ChangeOrigin = 'request',
  ): Promise<void> {
    await this.afterEnrolments(m, await this.attendance.enrolmentIds(m, pairs));
    await this.learnersChanged(m, pairs, origin);
  }

  /** For changes that do not move completion (outcomes, withdrawals, merges) but change what KPIs count. */
  async learnersChanged(
    m: EntityManager,
    pairs: { classId: string; personId: string }[],
    origin: ChangeOrigin = 'request',
  ): Promise<void> {
    if (!pairs.length) return;
    for (const listener of this.listeners) await listener.learnersChanged?.(m, pairs, origin);
  }

  async afterEnrolments(m: EntityManager, enrolmentIds: string[]): Promise<void> {
    const changed = (await this.attendance.recomputeCompletion(m, enrolmentIds)).filter((d) => d.changed);
    await this.refreshReach(
      m,
      changed
        .filter((d) => d.kind === 'citizen')
        .map((d) => ({ trainerId: d.leadTrainerId, personId: d.personId })),
    );
    if (changed.length) for (const listener of this.listeners) await listener.completionChanged?.(m, changed);
  }

  async refreshReach(m: EntityManager, pairs: { trainerId: string; personId: string }[]): Promise<void> {
    const unique = [...new Map(pairs.map((p) => [`${p.trainerId}|${p.personId}`, p])).values()];
    await this.reach.apply(m, await this.attendance.reachDays(m, unique));
  }
}
