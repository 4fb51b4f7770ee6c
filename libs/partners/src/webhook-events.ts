import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CertificateListener } from '../../certificates/src';
import { CompletionChange, CompletionListener } from '../../classes/src';
import { ReportListener } from '../../kpi/src';
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
  constructor(private readonly outbox: WebhookOutbox) {}

  async completionChanged(m: EntityManager, changes: CompletionChange[]): Promise<void> {
    const completed = changes.filter((c) => c.status === 'completed').map((c) => c.enrolmentId);
    if (!completed.length || !(await this.outbox.listening(m))) return;
    const rows: {
      id: string;
      personId: string;
      completedAt: Date;
      classId: string;
      classKind: string;
      programId: string;
      programCode: string;
      level: number;
      unitId: number;
      unitPath: string;
    }[] = await m.query(
      `SELECT e.id, e.person_id AS "personId", e.completed_at AS "completedAt", c.id AS "classId", c.kind AS "classKind",
              c.program_id AS "programId", g.code AS "programCode", c.level, c.unit_id AS "unitId", u.path AS "unitPath"
         FROM enrolment e JOIN training_class c ON c.id = e.class_id JOIN program g ON g.id = c.program_id
         JOIN admin_unit u ON u.id = c.unit_id
        WHERE e.id = ANY ($1::uuid[]) AND e.status = 'completed'`,
      [completed],
    );
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
    const rows: {
      id: string;
      serial: string;
      status: string;
      programId: string;
      programCode: string;
      level: number;
      personId: string;
      classId: string | null;
      issuedOn: string;
      issuedAt: Date;
      revokedAt: Date | null;
      revokedReason: string | null;
      unitPath: string;
    }[] = await m.query(
      `SELECT k.id, k.serial, k.status, k.program_id AS "programId", g.code AS "programCode", k.level,
              k.person_id AS "personId", k.class_id AS "classId", k.issued_on::text AS "issuedOn", k.issued_at AS "issuedAt",
              k.revoked_at AS "revokedAt", k.revoked_reason AS "revokedReason", k.unit_path AS "unitPath"
         FROM certificate k JOIN program g ON g.id = k.program_id WHERE k.id = ANY ($1::uuid[])`,
      [ids],
    );
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
    const [r]: {
      id: string;
      programId: string;
      programCode: string;
      period: string;
      unitId: number;
      unitPath: string;
      organisationId: string | null;
      organisationName: string | null;
      headcount: number | null;
      trained: number | null;
      proficient: number | null;
      indicators: Record<string, number>;
      reviewedAt: Date;
    }[] = await m.query(
      `SELECT r.id, r.program_id AS "programId", g.code AS "programCode", r.period, r.unit_id AS "unitId",
              u.path AS "unitPath", r.organisation_id AS "organisationId", o.name AS "organisationName", r.headcount,
              r.trained, r.proficient, r.indicators, r.reviewed_at AS "reviewedAt"
         FROM progress_report r JOIN program g ON g.id = r.program_id JOIN admin_unit u ON u.id = r.unit_id
         LEFT JOIN organisation o ON o.id = r.organisation_id
        WHERE r.id = $1`,
      [reportId],
    );
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
