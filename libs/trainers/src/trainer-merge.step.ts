import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PersonMergeStep } from '../../people/src';
import { ReachRepository } from './reach.repository';
import { TrainerErrors } from './trainer.errors';
import { TrainerRepository } from './trainer.repository';

/**
 * Merging people: the source's trainer roles become the survivor's, and the source's reach facts move to the
 * survivor — where both were reached by the same trainer, that person now counts once, from the earlier day.
 */
@Injectable()
export class TrainerMergeStep implements PersonMergeStep {
  readonly name = 'trainers';

  constructor(
    private readonly trainers: TrainerRepository,
    private readonly reach: ReachRepository,
  ) {}

  async merge(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const sourceRoles = await this.trainers.ofPerson(m, sourceId);
    const survivorPrograms = new Set((await this.trainers.ofPerson(m, survivorId)).map((t) => t.programId));
    const conflict = sourceRoles.find((t) => survivorPrograms.has(t.programId));
    if (conflict) throw TrainerErrors.mergeConflict(conflict.programId);
    await this.trainers.reassignPerson(
      m,
      sourceRoles.map((t) => t.id),
      survivorId,
    );

    const facts = await this.reach.factsOf(m, [survivorId, sourceId]);
    const earliest = new Map<string, string>();
    for (const fact of facts) {
      const day = earliest.get(fact.trainerId);
      if (!day || fact.reachedOn < day) earliest.set(fact.trainerId, fact.reachedOn);
    }
    const sourceFacts = facts.filter((f) => f.personId === sourceId);
    await this.reach.apply(m, [
      ...sourceFacts.map((f) => ({ trainerId: f.trainerId, personId: sourceId, reachedOn: null })),
      ...[...earliest].map(([trainerId, reachedOn]) => ({ trainerId, personId: survivorId, reachedOn })),
    ]);
    return sourceRoles.length + sourceFacts.length;
  }
}
