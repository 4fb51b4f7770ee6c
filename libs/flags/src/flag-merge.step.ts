import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PersonMergeStep } from '../../people/src';
import { FlagRepository } from './flag.repository';

/**
 * Merging people: the records a flag questions become the survivor's, so a merged person is counted as the
 * one flagged (or excluded) person it is. Where a flag questions both, the source's row is dropped and the
 * flag's count of people follows.
 */
@Injectable()
export class FlagMergeStep implements PersonMergeStep {
  readonly name = 'flags';

  constructor(private readonly flags: FlagRepository) {}

  async merge(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const dropped = await this.flags.dropDoubledRecords(m, survivorId, sourceId);
    if (dropped.length)
      await this.flags.recountRecords(
        m,
        dropped.map((d) => d.flag_id),
      );
    const moved = await this.flags.moveRecords(m, survivorId, sourceId);
    return moved + dropped.length;
  }
}
