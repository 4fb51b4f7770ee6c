import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PersonMergeStep } from '../../people/src';
import { ContestRepository } from './contest.repository';

/**
 * Merging people: the source's contest entries become the survivor's, except in a contest the survivor has
 * entered too (that entry stays the source's, still named by the merged record, its points untouched).
 */
@Injectable()
export class ContestMergeStep implements PersonMergeStep {
  readonly name = 'contests';

  constructor(private readonly contests: ContestRepository) {}

  async merge(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    return this.contests.moveEntries(m, survivorId, sourceId);
  }
}
