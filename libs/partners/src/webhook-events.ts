import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CertificateListener } from '../../certificates/src';
import { CompletionChange, CompletionListener } from '../../classes/src';
import { ReportListener } from '../../kpi/src';
import { WebhookEventsRepository } from './webhook-events.repository';
import { OutboundEvent, WebhookOutbox } from './webhook-outbox';

const unitOf = (path: string) => Number(path.split('/').filter(Boolean).pop());

/**
 * Turns what the other modules report, inside their transactions, into webhook events: a class enrolment
 * completed, a certificate issued or revoked, a progress report approved. (Completions recorded by partners
 * are emitted where they are written.) Events carry ids, never personal data: a receiver learns who a person
 * is only from its own records.
 */
@Injectable()
export class WebhookEvents implements CompletionListener, CertificateListener, ReportListener {
  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly repository: WebhookEventsRepository,
  ) {}

  async completionChanged(m: EntityManager, changes: CompletionChange[]): Promise<void> {
    const completed = changes.filter((c) => c.status === 'completed').map((c) => c.enrolmentId);
    if (!completed.length || !(await this.outbox.listening(m))) return;
    const rows = await this.repository.completedEnrolments(m, completed);
    await this.outbox.emit(
      m,
      rows.map((r): OutboundEvent => {
        const completedAt = new Date(r.completedAt);
        return {
          type: 'completion.recorded',
          dedupeKey: `completion.recorded:class:${r.id}:${completedAt.toISOString()}`,
          programId: r.programId,
          unitPath: r.unitPath,
          unitId: r.unitId,
          occurredAt: completedAt,
          data: {
            completionId: r.id,
            method: 'class',
            programId: r.programId,
            programCode: r.programCode,
            level: r.level,
            personId: r.personId,
            completedAt: completedAt.toISOString(),
            classId: r.classId,
            classKind: r.classKind,
          },
        };
      }),
    );
  }

  async certificatesChanged(m: EntityManager, ids: string[]): Promise<void> {
    if (!ids.length || !(await this.outbox.listening(m))) return;
    const rows = await this.repository.certificates(m, ids);
    await this.outbox.emit(
      m,
      rows.map((r): OutboundEvent => {
        const revoked = r.status !== 'valid';
        const type = revoked ? 'certificate.revoked' : 'certificate.issued';
        return {
          type,
          dedupeKey: `${type}:${r.id}`,
          programId: r.programId,
          unitPath: r.unitPath,
          unitId: unitOf(r.unitPath),
          occurredAt: new Date(revoked && r.revokedAt ? r.revokedAt : r.issuedAt),
          data: {
            certificateId: r.id,
            serial: r.serial,
            programId: r.programId,
            programCode: r.programCode,
            level: r.level,
            personId: r.personId,
            classId: r.classId,
            issuedOn: r.issuedOn,
            ...(revoked
              ? {
                  revokedAt: r.revokedAt ? new Date(r.revokedAt).toISOString() : null,
                  reason: r.revokedReason,
                }
              : {}),
          },
        };
      }),
    );
  }

  async reportApproved(m: EntityManager, reportId: string): Promise<void> {
    if (!(await this.outbox.listening(m))) return;
    const r = await this.repository.report(m, reportId);
    const approvedAt = new Date(r.reviewedAt);
    await this.outbox.emit(m, [
      {
        type: 'report.approved',
        dedupeKey: `report.approved:${r.id}:${approvedAt.toISOString()}`,
        programId: r.programId,
        unitPath: r.unitPath,
        unitId: r.unitId,
        occurredAt: approvedAt,
        data: {
          reportId: r.id,
          programId: r.programId,
          programCode: r.programCode,
          period: r.period,
          organisation: r.organisationId ? { id: r.organisationId, name: r.organisationName } : null,
          figures: {
            headcount: r.headcount,
            trained: r.trained,
            proficient: r.proficient,
            indicators: r.indicators,
          },
          approvedAt: approvedAt.toISOString(),
        },
      },
    ]);
  }
}
