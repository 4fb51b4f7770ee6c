import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { currentRequest } from '../../platform/src';
import { FlagDetectionRepository } from './flag-detection.repository';

/** The audit context of the request (or of the worker: nobody) as the statements' parameter. */
function auditContext(): string {
  const c = currentRequest();
  return JSON.stringify({
    actor: c.userId ?? null,
    request: c.requestId ?? null,
    ip: c.ip ?? null,
    name: c.actorName ?? null,
  });
}

/**
 * Raises data-honesty flags (docs/flags.md) as records arrive: after marks of any path (roster, QR, import,
 * offline sync — the derive pass), in the transaction that derives their figures, and after partner pushes.
 * Every pattern is one SELECT in one statement, over what arrived (FlagDetectionRepository); thresholds come
 * from the program's settings, else the defaults.
 */
@Injectable()
export class FlagDetector {
  /** Turned off by the benchmark's "without flags" run only. */
  enabled = true;

  constructor(private readonly detection: FlagDetectionRepository) {}

  async afterMarks(m: EntityManager, pairs: { classId: string; personId: string }[]): Promise<number> {
    if (!this.enabled || !pairs.length) return 0;
    return this.detection.afterMarks(m, pairs, auditContext());
  }

  /**
   * After a partner pushed records: the share of its completions in each program whose learner has no lesson
   * from it and no attendance in a class of the program, when above what the program allows.
   */
  async afterPartnerRecords(m: EntityManager, clientId: string, programIds: string[]): Promise<number> {
    if (!this.enabled || !programIds.length) return 0;
    return this.detection.afterPartnerRecords(m, clientId, programIds, auditContext());
  }
}
