import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { Page, page } from '../../platform/src';
import {
  FlagDecisionDto,
  FlagDto,
  FlagExplanationDto,
  FlagHistoryDto,
  FlagQueryDto,
  FlagSettingViewDto,
  FlagSummaryDto,
  PutFlagSettingsDto,
} from './flag.dto';
import { FlagErrors } from './flag.errors';
import { FLAG_PATTERNS, FlagStatus, PATTERNS, SEVERITY_LABELS, STATUS_LABELS } from './flag-patterns';
import { FlagRepository, FlagRow } from './flag.repository';
import { summarise } from './flag-summary';

/** Who reviews flags: steering members (and administrators) of the flag's unit subtree; viewers read. */
export const REVIEWERS = ['steering'] as const;
const READERS = ['steering', 'viewer'] as const;

/**
 * The review of flags: a queue per scope (steering members of the flag's unit subtree), the evidence, a
 * decision with a reason (clear, or exclude the records from the verified figures; reversible), every
 * decision audited; the trainer of a flagged class sees it and can explain. Flags never change records.
 */
@Injectable()
export class FlagService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly flags: FlagRepository,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, query: FlagQueryDto): Promise<Page<FlagSummaryDto>> {
    const { rows, total } = await this.flags.list(principal, query, query.limit, query.offset);
    return page(
      rows.map((r) => this.summary(r)),
      total,
      query,
    );
  }

  async get(principal: Principal, id: string): Promise<FlagDto> {
    const row = await this.load(this.dataSource.manager, principal, id);
    const people = await this.flags.people(id);
    const history = await this.flags.history(id);
    return {
      ...this.summary(row),
      people,
      history: history.map((h): FlagHistoryDto => ({
        action: h.action,
        at: new Date(h.at).toISOString(),
        actorName: h.actorName,
        reason: h.reason,
      })),
      canDecide: this.mayDecide(principal, row),
      canExplain: this.teaches(principal, row),
    };
  }

  /** Clear, exclude or reopen, with a reason; audited with the status before and after. */
  async decide(principal: Principal, id: string, dto: FlagDecisionDto): Promise<FlagDto> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.load(m, principal, id, true);
      if (!Policy.covers(principal, REVIEWERS, row.unitPath)) throw AccessErrors.forbidden();
      if (this.teaches(principal, row) && !Policy.isAdmin(principal)) throw FlagErrors.ownClass();
      if (row.status === 'resolved') throw FlagErrors.resolvedByCorrection();
      const status: FlagStatus =
        dto.decision === 'clear' ? 'cleared' : dto.decision === 'exclude' ? 'excluded' : 'open';
      if (status === row.status) throw FlagErrors.sameDecision(STATUS_LABELS[status]);
      await this.flags.decide(m, id, status, principal.id, dto.reason);
      await this.audit.record(
        {
          action: `flag.${dto.decision}`,
          entityType: 'data_flag',
          entityId: id,
          before: { status: row.status, decisionReason: row.decisionReason },
          after: { status, reason: dto.reason, pattern: row.pattern, records: row.records },
          scopePaths: [row.unitPath],
        },
        m,
      );
    });
    return this.get(principal, id);
  }

  /** The trainer of the flagged class explains; the explanation stays on the flag and in the audit trail. */
  async explain(principal: Principal, id: string, dto: FlagExplanationDto): Promise<FlagDto> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.load(m, principal, id, true);
      if (!this.teaches(principal, row)) throw FlagErrors.notTrainerOfFlag();
      await this.flags.explain(m, id, dto.text, principal.id);
      await this.audit.record(
        {
          action: 'flag.explained',
          entityType: 'data_flag',
          entityId: id,
          before: { explanation: row.explanation },
          after: { explanation: dto.text },
          scopePaths: [row.unitPath],
        },
        m,
      );
    });
    return this.get(principal, id);
  }

  async settings(principal: Principal, programId: string): Promise<FlagSettingViewDto[]> {
    await this.program(this.dataSource.manager, principal, programId, READERS);
    const rows = await this.flags.settings(programId);
    const own = new Map(rows.map((r) => [r.pattern, r]));
    return FLAG_PATTERNS.map((pattern) => {
      const d = PATTERNS[pattern];
      const s = own.get(pattern);
      return {
        pattern,
        label: d.label,
        thresholdMeaning: d.threshold,
        enabled: s?.enabled ?? true,
        threshold: s ? Number(s.threshold) : d.defaultThreshold,
        severity: s?.severity ?? d.defaultSeverity,
        defaultThreshold: d.defaultThreshold,
        defaultSeverity: d.defaultSeverity,
      };
    });
  }

  /** Steering members of the program's owner unit set its thresholds; audited. Applies to records arriving next. */
  async putSettings(
    principal: Principal,
    programId: string,
    dto: PutFlagSettingsDto,
  ): Promise<FlagSettingViewDto[]> {
    await this.dataSource.transaction(async (m) => {
      const ownerPath = await this.program(m, principal, programId, REVIEWERS);
      const before = await this.flags.settingsOf(
        m,
        programId,
        dto.settings.map((s) => s.pattern),
      );
      await this.flags.putSettings(m, programId, JSON.stringify(dto.settings), principal.id);
      await this.audit.record(
        {
          action: 'flag.settings_changed',
          entityType: 'program',
          entityId: programId,
          before,
          after: dto.settings,
          scopePaths: [ownerPath],
        },
        m,
      );
    });
    return this.settings(principal, programId);
  }

  /** The program's owner scope path, if the caller holds one of `roles` over it. */
  private async program(
    m: EntityManager,
    principal: Principal,
    id: string,
    roles: readonly ('steering' | 'viewer')[],
  ): Promise<string> {
    const path = await this.flags.programScopePath(m, id);
    if (path === undefined) throw FlagErrors.programNotFound();
    if (!Policy.covers(principal, roles, path)) throw AccessErrors.outOfScope();
    return path;
  }

  private async load(m: EntityManager, principal: Principal, id: string, lock = false): Promise<FlagRow> {
    const row = await this.flags.findVisible(m, principal, id, lock);
    if (!row) throw FlagErrors.notFound();
    return row;
  }

  private teaches(principal: Principal, row: FlagRow): boolean {
    return (
      Policy.hasRole(principal, ['trainer']) &&
      !!principal.personId &&
      row.teacherIds.includes(principal.personId)
    );
  }

  private mayDecide(principal: Principal, row: FlagRow): boolean {
    return (
      row.status !== 'resolved' &&
      Policy.covers(principal, REVIEWERS, row.unitPath) &&
      (Policy.isAdmin(principal) || !this.teaches(principal, row))
    );
  }

  private summary(r: FlagRow): FlagSummaryDto {
    return {
      id: r.id,
      programId: r.programId,
      pattern: r.pattern,
      patternLabel: PATTERNS[r.pattern].label,
      severity: r.severity,
      severityLabel: SEVERITY_LABELS[r.severity],
      status: r.status,
      statusLabel: STATUS_LABELS[r.status],
      unitCode: r.unitCode,
      unitName: r.unitName,
      classId: r.classId,
      classTitle: r.classTitle,
      trainerName: r.trainerName,
      records: r.records,
      summary: summarise(r.pattern, r.evidence),
      evidence: r.evidence,
      raisedAt: new Date(r.raisedAt).toISOString(),
      explanation: r.explanation,
      decisionReason: r.decisionReason,
      decidedAt: r.decidedAt ? new Date(r.decidedAt).toISOString() : null,
    };
  }
}
