import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PersonMergeStep } from '../../people/src';
import { returning } from '../../platform/src';

/**
 * Merging people: the source's contest entries become the survivor's, except in a contest the survivor has
 * entered too (that entry stays the source's, still named by the merged record, its points untouched).
 */
@Injectable()
export class ContestMergeStep implements PersonMergeStep {
  readonly name = 'contests';

  async merge(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const moved = await returning(
      m,
      `UPDATE contest_entry e SET subject_id = $1
        WHERE e.kind = 'person' AND e.subject_id = $2
          AND NOT EXISTS (SELECT 1 FROM contest_entry s
                           WHERE s.contest_id = e.contest_id AND s.kind = 'person' AND s.subject_id = $1)
        RETURNING 1`,
      [survivorId, sourceId],
    );
    return moved.length;
  }
}
