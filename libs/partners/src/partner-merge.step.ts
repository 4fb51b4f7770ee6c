import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PersonMergeStep } from '../../people/src';
import { returning } from '../../platform/src';
import { LearningKind } from './partner.entities';
import { PartnerLearningService } from './partner-learning.service';

/**
 * Merging people: partners' ids and online learning of the source become the survivor's, and the KPI facts
 * of both are recomputed — so a person a partner registered twice (or who was also registered at a class)
 * counts once.
 */
@Injectable()
export class PartnerMergeStep implements PersonMergeStep {
  readonly name = 'partners';

  constructor(private readonly learning: PartnerLearningService) {}

  async merge(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const links = await returning(
      m,
      `UPDATE partner_person SET person_id = $1 WHERE person_id = $2 RETURNING 1`,
      [survivorId, sourceId],
    );
    const records = await returning<{ id: string; kind: LearningKind; programId: string }>(
      m,
      `UPDATE partner_learning_record SET person_id = $1 WHERE person_id = $2
       RETURNING id, kind, program_id AS "programId"`,
      [survivorId, sourceId],
    );
    await this.learning.counted(
      m,
      records.flatMap((r) => [
        { ...r, personId: survivorId },
        { ...r, personId: sourceId },
      ]),
    );
    return links.length + records.length;
  }
}
