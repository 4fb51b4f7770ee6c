import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ChangeOrigin } from '../../classes/src';
import { JobHandler, JobOutcome, JobService } from '../../jobs/src';
import { ADVISORY_LOCKS, ClassPersonPair, currentRequest, DrainPass, PairOutbox } from '../../platform/src';
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

export const DETECT_JOB = 'flags.detect';

/**
 * Outbox rows one pass takes at most. A roster, a QR check-in or a class import is a row; a pass evaluates
 * every pattern over all its rows' pairs in one statement, which costs much less than one statement a row
 * (docs/benchmarks.md, "Run 5"), so under a burst of rosters the detector runs once for many of them.
 */
const ROWS_PER_PASS = 64;

/**
 * Raises data-honesty flags (docs/flags.md) as records arrive. After marks written in a request (roster, QR
 * check-in, class import), the request's transaction stores the (class, person) pairs in an outbox
 * (`data_flag_outbox`) and makes sure a job of this kind runs; the job evaluates every pattern over the pairs
 * of the rows waiting, in one statement (FlagDetectionRepository), seconds later: a roster pays for one outbox
 * row, not for the eleven patterns, and a burst of rosters is one evaluation. In the worker's derive pass of
 * offline sync, where nobody waits, the detector runs at once in the pass's transaction; after partner pushes,
 * in the push's. Thresholds come from the program's settings, else the defaults.
 */
@Injectable()
export class FlagDetector implements JobHandler {
  readonly kind = DETECT_JOB;
  /** Turned off by the benchmark's "without flags" run only. */
  enabled = true;

  private readonly outbox: PairOutbox;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly detection: FlagDetectionRepository,
    private readonly jobs: JobService,
  ) {
    this.outbox = new PairOutbox(dataSource, {
      table: 'data_flag_outbox',
      lockKey: ADVISORY_LOCKS.flagDetect,
      rowsPerPass: ROWS_PER_PASS,
      work: async (m, pairs) => {
        await this.detection.afterMarks(m, pairs, auditContext());
      },
    });
  }

  /**
   * In the transaction that changed marks: in a request, the pairs queued and a pass to come; in the worker,
   * the pairs evaluated now.
   */
  async afterMarks(m: EntityManager, pairs: ClassPersonPair[], origin: ChangeOrigin): Promise<void> {
    if (!this.enabled || !pairs.length) return;
    if (origin === 'worker') {
      await this.detection.afterMarks(m, pairs, auditContext());
      return;
    }
    await this.outbox.insert(m, pairs);
    await this.jobs.schedule(m, DETECT_JOB, new Date());
  }

  /**
   * Passes until the outbox is empty: the flags of every mark written before it are raised, updated or
   * closed (what the job does; tests call it to wait for the flags).
   */
  drain(): Promise<DrainPass> {
    return this.outbox.drain();
  }

  async run(): Promise<JobOutcome> {
    return { result: { ...(await this.drain()) } };
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
