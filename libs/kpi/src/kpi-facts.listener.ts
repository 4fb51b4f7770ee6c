import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CertificateListener } from '../../certificates/src';
import { ClassListener, CompletionListener } from '../../classes/src';
import { JobContext, JobHandler, JobOutcome, JobService } from '../../jobs/src';
import { KpiFactsRepository, RecordKind } from './kpi-facts.repository';

export const REBUILD_JOB = 'kpi.rebuild';

/**
 * Keeps the KPI facts in step: after marks, outcomes, withdrawals and merges, the people touched are
 * refreshed in the same transaction, and so are classes closed or reopened and certificates issued or
 * revoked; after the map changes (merge, split, move of units), a background job
 * rebuilds every program's facts, since "today's map" moved under all of them.
 */
@Injectable()
export class KpiFactsListener implements CompletionListener, ClassListener, CertificateListener, JobHandler {
  readonly kind = REBUILD_JOB;

  constructor(
    private readonly facts: KpiFactsRepository,
    private readonly jobs: JobService,
  ) {}

  /** Every program's people at once: one statement each way, however many programs the classes are in. */
  async learnersChanged(m: EntityManager, pairs: { classId: string; personId: string }[]): Promise<void> {
    const programs = await this.facts.programsOfClasses(m, [...new Set(pairs.map((p) => p.classId))]);
    await this.facts.refreshPeople(
      m,
      pairs.flatMap(({ classId, personId }) => {
        const programId = programs.get(classId);
        return programId ? [{ programId, personId }] : [];
      }),
    );
  }

  async classesChanged(m: EntityManager, classIds: string[]): Promise<void> {
    await this.records(m, 'class', await this.facts.programsOfClasses(m, classIds));
  }

  async certificatesChanged(m: EntityManager, ids: string[]): Promise<void> {
    await this.records(m, 'certificate', await this.facts.programsOfCertificates(m, ids));
  }

  /** Refreshes records of a kind, of every program at once (`programs`: record → program). */
  private async records(m: EntityManager, kind: RecordKind, programs: Map<string, string>): Promise<void> {
    await this.facts.refreshRecordsOf(
      m,
      kind,
      [...programs].map(([id, programId]) => ({ programId, id })),
    );
  }

  async reorganised(m: EntityManager): Promise<void> {
    await this.jobs.enqueue(m, REBUILD_JOB, {}, null);
  }

  async run(context: JobContext): Promise<JobOutcome> {
    const programs = await this.facts.programIds();
    let done = 0;
    for (const programId of programs) {
      await this.facts.rebuildAtomically(programId);
      await context.progress(++done, programs.length);
    }
    return { result: { programs: programs.length } };
  }
}
