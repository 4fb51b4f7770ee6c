import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PersonMergeStep } from '../../people/src';
import { Clock, returning } from '../../platform/src';
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
  ) {}

  async merge(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const revoked = await returning<{ id: string }>(
      m,
      `UPDATE certificate s SET status = 'revoked', revoked_at = $3, revoked_reason = 'Gộp hồ sơ trùng', replaced_by_id = v.id
         FROM certificate v
        WHERE s.person_id = $2 AND s.status = 'valid' AND v.person_id = $1 AND v.status = 'valid'
          AND v.program_id = s.program_id AND v.level = s.level
       RETURNING s.id`,
      [survivorId, sourceId, this.clock.now()],
    );
    await this.certificates.changed(
      m,
      revoked.map((k) => k.id),
    );
    const moved = await returning(
      m,
      `UPDATE certificate SET person_id = $1 WHERE person_id = $2 RETURNING id`,
      [survivorId, sourceId],
    );
    return moved.length;
  }
}
