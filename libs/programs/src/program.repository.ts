import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { pagedQuery } from '../../platform/src';
import {
  CertificateSettings,
  LevelDto,
  PhaseDto,
  ReportApprovalLevel,
  SegmentDefinitionDto,
} from './program.dto';

export interface ProgramRow {
  id: string;
  code: string;
  name: string;
  ownerUnitId: number;
  ownerUnitCode: string;
  ownerUnitName: string;
  ownerUnitPath: string;
  /** Where the owner stands on today's map: its path, or for an ended unit its successors' (admin_unit_scope_path). */
  ownerScopePath: string;
  ownerValidFrom: string;
  ownerValidTo: string | null;
  startsOn: string;
  endsOn: string;
  defaultQuota: number;
  completionMinSessions: number | null;
  completionMinShare: string | null;
  extraSegments: SegmentDefinitionDto[];
  reportedIndicators: SegmentDefinitionDto[];
  reportApprovalLevels: ReportApprovalLevel[] | null;
  phases: PhaseDto[];
  levels: LevelDto[];
  materialCount: number;
  certificate: CertificateSettings;
}

export interface ProgramWrite {
  code: string;
  name: string;
  ownerUnitId: number;
  startsOn: string;
  endsOn: string;
  defaultQuota: number;
  completionMinSessions: number | null;
  completionMinShare: number | null;
  extraSegments: SegmentDefinitionDto[];
  reportedIndicators: SegmentDefinitionDto[];
  reportApprovalLevels: ReportApprovalLevel[] | null;
  certificate: CertificateSettings;
}

const PROGRAM_SELECT = `
  SELECT g.id, g.code, g.name, g.owner_unit_id AS "ownerUnitId", u.code AS "ownerUnitCode",
         u.full_name AS "ownerUnitName", u.path AS "ownerUnitPath", s.path AS "ownerScopePath",
         u.valid_from AS "ownerValidFrom", u.valid_to AS "ownerValidTo", g.starts_on AS "startsOn",
         g.ends_on AS "endsOn", g.default_quota AS "defaultQuota",
         g.completion_min_sessions AS "completionMinSessions", g.completion_min_share AS "completionMinShare",
         g.extra_segments AS "extraSegments", g.reported_indicators AS "reportedIndicators",
         g.report_approval_levels AS "reportApprovalLevels", g.created_at,
         json_build_object('issueMode', g.certificate_issue_mode, 'template', g.certificate_template,
                           'issuer', g.certificate_issuer, 'signerTitle', g.certificate_signer_title,
                           'signerName', g.certificate_signer_name, 'place', g.certificate_place) AS certificate,
         coalesce((SELECT json_agg(json_build_object('name', f.name, 'startsOn', f.starts_on, 'endsOn', f.ends_on)
                                   ORDER BY f.position) FROM program_phase f WHERE f.program_id = g.id), '[]') AS phases,
         coalesce((SELECT json_agg(json_build_object('level', l.level, 'title', l.title, 'description', l.description)
                                   ORDER BY l.level) FROM program_level l WHERE l.program_id = g.id), '[]') AS levels,
         (SELECT count(*)::int FROM learning_material lm WHERE lm.program_id = g.id) AS "materialCount"
    FROM program g JOIN admin_unit u ON u.id = g.owner_unit_id
    CROSS JOIN LATERAL (SELECT admin_unit_scope_path(u.id) AS path) s`;

/** A learning material as the repository reads it. */
export interface MaterialRow {
  id: string;
  level: number;
  title: string;
  kind: string;
  url: string;
  publishedAt: Date;
  imported: boolean;
}

@Injectable()
export class ProgramRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<ProgramRow | null> {
    const rows: ProgramRow[] = await m.query(`${PROGRAM_SELECT} WHERE g.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * Programs owned by `unitPath`'s unit, its ancestors or its descendants (null: all) on today's map: a program
   * of an ended unit (a district before 2025) belongs where that unit's successors are.
   */
  async list(unitPath: string | null, limit: number, offset: number) {
    return pagedQuery<ProgramRow & { created_at: Date }>(
      this.dataSource,
      `${PROGRAM_SELECT} WHERE $1::text IS NULL OR s.path LIKE $1 || '%' OR $1 LIKE s.path || '%'`,
      [unitPath],
      'created_at DESC, id',
      limit,
      offset,
    );
  }

  async codeTaken(m: EntityManager, code: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM program WHERE code = $1`, [code]);
    return rows.length > 0;
  }

  async insert(m: EntityManager, p: ProgramWrite): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO program (code, name, owner_unit_id, starts_on, ends_on, default_quota, completion_min_sessions,
                            completion_min_share, extra_segments, certificate_issue_mode, certificate_template,
                            certificate_issuer, certificate_signer_title, certificate_signer_name, certificate_place,
                            reported_indicators, report_approval_levels)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
      [p.code, ...this.values(p)],
    );
    return row.id;
  }

  async update(m: EntityManager, id: string, p: ProgramWrite): Promise<void> {
    await m.query(
      `UPDATE program SET name = $2, owner_unit_id = $3, starts_on = $4, ends_on = $5, default_quota = $6,
              completion_min_sessions = $7, completion_min_share = $8, extra_segments = $9, certificate_issue_mode = $10,
              certificate_template = $11, certificate_issuer = $12, certificate_signer_title = $13,
              certificate_signer_name = $14, certificate_place = $15, reported_indicators = $16,
              report_approval_levels = $17, updated_at = now()
        WHERE id = $1`,
      [id, ...this.values(p)],
    );
  }

  private values(p: ProgramWrite): unknown[] {
    const c = p.certificate;
    return [
      p.name,
      p.ownerUnitId,
      p.startsOn,
      p.endsOn,
      p.defaultQuota,
      p.completionMinSessions,
      p.completionMinShare,
      JSON.stringify(p.extraSegments),
      c.issueMode,
      c.template,
      c.issuer,
      c.signerTitle,
      c.signerName,
      c.place,
      JSON.stringify(p.reportedIndicators),
      p.reportApprovalLevels,
    ];
  }

  async replacePhases(m: EntityManager, programId: string, phases: PhaseDto[]): Promise<void> {
    await m.query(`DELETE FROM program_phase WHERE program_id = $1`, [programId]);
    if (!phases.length) return;
    await m.query(
      `INSERT INTO program_phase (program_id, position, name, starts_on, ends_on)
       SELECT $1, ord, name, starts_on, ends_on
         FROM unnest($2::text[], $3::date[], $4::date[]) WITH ORDINALITY AS t(name, starts_on, ends_on, ord)`,
      [programId, phases.map((f) => f.name), phases.map((f) => f.startsOn), phases.map((f) => f.endsOn)],
    );
  }

  async replaceLevels(m: EntityManager, programId: string, levels: LevelDto[]): Promise<void> {
    await m.query(`DELETE FROM program_level WHERE program_id = $1`, [programId]);
    await m.query(
      `INSERT INTO program_level (program_id, level, title, description)
       SELECT $1, level, title, description FROM unnest($2::int[], $3::text[], $4::text[]) AS t(level, title, description)`,
      [
        programId,
        levels.map((l) => l.level),
        levels.map((l) => l.title),
        levels.map((l) => l.description ?? null),
      ],
    );
  }

  async insertMaterial(
    m: EntityManager,
    programId: string,
    material: { level: number; title: string; kind: string; url: string },
    by: string | null,
    /** For materials entered after the fact: when they were published (else now). */
    publishedAt?: Date,
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO learning_material (program_id, level, title, kind, url, created_by, published_at, imported)
       VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now()), $7 IS NOT NULL) RETURNING id`,
      [programId, material.level, material.title, material.kind, material.url, by, publishedAt ?? null],
    );
    return row.id;
  }

  async materials(programId: string, level: number | undefined, limit: number, offset: number) {
    return pagedQuery<MaterialRow>(
      this.dataSource,
      `SELECT id, level, title, kind, url, published_at AS "publishedAt", imported FROM learning_material
        WHERE program_id = $1 AND ($2::int IS NULL OR level = $2)`,
      [programId, level ?? null],
      'level, "publishedAt", id',
      limit,
      offset,
    );
  }
}
