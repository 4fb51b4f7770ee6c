import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PersonMergeStep } from '../../people/src';
import { LearningRepository } from './learning.repository';
import { PartnerPersonRepository } from './partner-person.repository';
import { PartnerLearningService } from './partner-learning.service';

/**
 * Merging people: partners' ids and online learning of the source become the survivor's, and the KPI facts
 * of both are recomputed — so a person a partner registered twice (or who was also registered at a class)
 * counts once.
 */
@Injectable()
export class PartnerMergeStep implements PersonMergeStep {
  readonly name = 'partners';

  constructor(
    private readonly learning: PartnerLearningService,
    private readonly records: LearningRepository,
    private readonly partnerPeople: PartnerPersonRepository,
  ) {}

  async merge(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const links = await this.partnerPeople.movePerson(m, survivorId, sourceId);
    const records = await this.records.movePerson(m, survivorId, sourceId);
    await this.learning.counted(
      m,
      records.flatMap((r) => [
        { ...r, personId: survivorId },
        { ...r, personId: sourceId },
      ]),
    );
    return links + records.length;
  }
}
