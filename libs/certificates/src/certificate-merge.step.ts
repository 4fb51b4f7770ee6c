import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PersonMergeStep } from '../../people/src';
import { Clock } from '../../platform/src';
import { CertificateRepository } from './certificate.repository';
import { CertificateService } from './certificate.service';

/**
 * Merging people: the source's certificates become the survivor's. Where both hold a valid certificate for
 * the same program level, the source's is revoked (status kept) and points to the survivor's.
 */
@Injectable()
export class CertificateMergeStep implements PersonMergeStep {
  readonly name = 'certificates';

  constructor(
    private readonly clock: Clock,
    private readonly certificates: CertificateService,
    private readonly repository: CertificateRepository,
  ) {}

  async merge(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const revoked = await this.repository.revokeMergedDuplicates(m, survivorId, sourceId, this.clock.now());
    await this.certificates.changed(
      m,
      revoked.map((k) => k.id),
    );
    return this.repository.movePerson(m, survivorId, sourceId);
  }
}
