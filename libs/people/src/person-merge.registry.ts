import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * A module that holds records pointing at people (trainer roles, reach, enrolments, attendance,
 * certificates …) registers a step here; merging two people runs every step in the merge's transaction.
 */
export interface PersonMergeStep {
  readonly name: string;
  /** Moves what belongs to `sourceId` onto `survivorId`; returns how many records moved. */
  merge(m: EntityManager, survivorId: string, sourceId: string): Promise<number>;
}

@Injectable()
export class PersonMergeRegistry {
  private readonly steps: PersonMergeStep[] = [];

  register(step: PersonMergeStep): void {
    this.steps.push(step);
  }

  all(): readonly PersonMergeStep[] {
    return this.steps;
  }
}
