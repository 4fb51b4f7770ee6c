import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

const DEMO_LOCK = 7_402_004;

/** A current unit of the demo province. */
export interface DemoUnit {
  id: number;
  code: string;
  path: string;
}

/** A demo class as written (training_class). */
export interface DemoClassRow {
  id: string;
  level: number;
  kind: string;
  title: string;
  leadTrainerId: string;
  unitId: number;
  venueType: string;
  venueAddress: string;
  status: string;
  enrolled: number;
}

export interface DemoSessionRow {
  id: string;
  classId: string;
  position: number;
  startsAt: string;
  endsAt: string;
}

export interface DemoEnrolmentRow {
  id: string;
  classId: string;
  personId: string;
}

export interface DemoMarkRow {
  sessionId: string;
  personId: string;
  classId: string;
  status: string;
  recordedAt: string;
}

/** A line of the demo plan (target) that is neither split nor a province's yearly target. */
export interface DemoPlanLine {
  programId: string;
  unitId: number;
  indicator: string;
  period: string;
  kind: string;
  value: number;
  baseIndicator: string | null;
}

/** A demo progress report, as written (progress_report). */
export interface DemoReportRow {
  programId: string;
  unitId: number;
  organisationId: string | null;
  period: string;
  status: string;
  headcount: number;
  trained: number;
  proficient: number;
  /** JSON. */
  indicators: string;
  notes: string;
  authorId: string | null;
  reviewedBy: string | null;
  reviewComment: string | null;
  awaitingUnitId: number | null;
  approvalStep: number;
}

/**
 * The demo campaign's writes that no domain repository makes: bulk fixtures (organisations, population,
 * classes with their sessions, enrolments and marks, targets, reports) in one statement each. Every method
 * runs on the seed's transaction.
 */
@Injectable()
export class DemoSeedRepository {
  /** Serialises seeding for the rest of the transaction; whether the demo program exists already. */
  async lockAndFindProgram(m: EntityManager, code: string): Promise<boolean> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK]);
    const existing: unknown[] = await m.query(`SELECT 1 FROM program WHERE code = $1`, [code]);
    return existing.length > 0;
  }

  async currentUnit(m: EntityManager, code: string): Promise<{ id: number; path: string } | null> {
    const [province]: { id: number; path: string }[] = await m.query(
      `SELECT id, path FROM admin_unit WHERE code = $1 AND valid_to IS NULL`,
      [code],
    );
    return province ?? null;
  }

  /** The current units directly under `parentId`, by code. */
  currentChildren(m: EntityManager, parentId: number): Promise<DemoUnit[]> {
    return m.query(
      `SELECT id, code, path FROM admin_unit WHERE parent_id = $1 AND valid_to IS NULL ORDER BY code`,
      [parentId],
    );
  }

  /** The current commune of that full name in the province `provinceCode`. */
  async communeNamed(m: EntityManager, fullName: string, provinceCode: string): Promise<number | null> {
    const rows: { id: number }[] = await m.query(
      `SELECT u.id FROM admin_unit u JOIN admin_unit p ON p.id = u.parent_id
        WHERE u.full_name = $1 AND p.code = $2 AND u.valid_to IS NULL`,
      [fullName, provinceCode],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * The province's mass organisations and department, and a cooperative in `cooperativeUnitId`; the id of the
   * first, the Farmers' Union.
   */
  async insertProvinceOrganisations(
    m: EntityManager,
    provinceId: number,
    cooperativeUnitId: number,
  ): Promise<string> {
    const [farmersUnion]: { id: string }[] = await m.query(
      `INSERT INTO organisation (unit_id, name, kind) VALUES ($1, 'Hội Nông dân tỉnh Thái Nguyên', 'mass_organisation'),
              ($1, 'Hội Liên hiệp Phụ nữ tỉnh Thái Nguyên', 'mass_organisation'),
              ($1, 'Tỉnh đoàn Thái Nguyên', 'mass_organisation'),
              ($1, 'Sở Giáo dục và Đào tạo Thái Nguyên', 'agency'),
              ($2, 'Hợp tác xã chè Tân Cương', 'cooperative')
       RETURNING id`,
      [provinceId, cooperativeUnitId],
    );
    return farmersUnion.id;
  }

  /** Đồng Hỷ's People's Committee (in `unitId`); its id. */
  async insertCommuneCommittee(m: EntityManager, unitId: number): Promise<string> {
    const [committee]: { id: string }[] = await m.query(
      `INSERT INTO organisation (unit_id, name, kind) VALUES ($1, 'Ủy ban nhân dân xã Đồng Hỷ', 'agency') RETURNING id`,
      [unitId],
    );
    return committee.id;
  }

  /** One figure for 2026: each commune's value, and the province's (their sum). */
  async insertPopulation(
    m: EntityManager,
    figure: string,
    communeIds: number[],
    values: number[],
    province: { id: number; total: number },
  ): Promise<void> {
    await m.query(
      `INSERT INTO population_figure (unit_id, year, figure, value)
         SELECT unit_id, 2026, $3, value FROM unnest($1::int[], $2::bigint[]) AS t(unit_id, value)
         UNION ALL SELECT $4, 2026, $3, $5`,
      [communeIds, values, figure, province.id, province.total],
    );
  }

  /**
   * The people of two organisations: the farmers among `personIds` outside `communeId` join `farmersUnionId`,
   * the civil servants of `communeId` join `committeeId`.
   */
  async assignOrganisations(
    m: EntityManager,
    personIds: string[],
    farmersUnionId: string,
    communeId: number,
    committeeId: string,
  ): Promise<void> {
    await m.query(
      `UPDATE person p SET organisation_id = CASE WHEN p.commune_id = $3 THEN $4::uuid ELSE $2::uuid END
        WHERE p.id = ANY ($1::uuid[])
          AND ((p.segment = 'farmer' AND p.commune_id <> $3) OR (p.segment = 'civil_servant' AND p.commune_id = $3))`,
      [personIds, farmersUnionId, communeId, committeeId],
    );
  }

  usersByLogin(m: EntityManager, logins: string[]): Promise<{ login: string; id: string }[]> {
    return m.query(`SELECT login, id FROM app_user WHERE login = ANY ($1::text[])`, [logins]);
  }

  /** In-person classes of `programId` (capacity 40). */
  async insertClasses(m: EntityManager, programId: string, classes: DemoClassRow[]): Promise<void> {
    await m.query(
      `INSERT INTO training_class (id, program_id, level, kind, title, lead_trainer_id, unit_id, venue_type, venue_address, mode,
                                 capacity, status, enrolled_count)
     SELECT id, $1, level, kind, title, lead, unit, venue_type, venue_address, 'in_person', 40, status, enrolled
       FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::uuid[], $7::int[], $8::text[], $9::text[], $10::text[], $11::int[])
         AS t(id, level, kind, title, lead, unit, venue_type, venue_address, status, enrolled)`,
      [
        programId,
        classes.map((c) => c.id),
        classes.map((c) => c.level),
        classes.map((c) => c.kind),
        classes.map((c) => c.title),
        classes.map((c) => c.leadTrainerId),
        classes.map((c) => c.unitId),
        classes.map((c) => c.venueType),
        classes.map((c) => c.venueAddress),
        classes.map((c) => c.status),
        classes.map((c) => c.enrolled),
      ],
    );
  }

  async insertSessions(m: EntityManager, sessions: DemoSessionRow[]): Promise<void> {
    await m.query(
      `INSERT INTO class_session (id, class_id, position, starts_at, ends_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[], $5::timestamptz[])`,
      [
        sessions.map((s) => s.id),
        sessions.map((s) => s.classId),
        sessions.map((s) => s.position),
        sessions.map((s) => s.startsAt),
        sessions.map((s) => s.endsAt),
      ],
    );
  }

  async insertEnrolments(m: EntityManager, enrolments: DemoEnrolmentRow[]): Promise<void> {
    await m.query(
      `INSERT INTO enrolment (id, class_id, person_id) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[])`,
      [enrolments.map((e) => e.id), enrolments.map((e) => e.classId), enrolments.map((e) => e.personId)],
    );
  }

  async insertMarks(m: EntityManager, marks: DemoMarkRow[]): Promise<void> {
    await m.query(
      // About half the learners who came checked in by QR themselves (a check-in only ever says they came).
      `INSERT INTO attendance (session_id, person_id, class_id, status, method, recorded_at, checked_in_at)
       SELECT s, p, c, st, CASE WHEN qr THEN 'qr' ELSE 'roster' END, r, CASE WHEN qr THEN r END
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[]) AS t(s, p, c, st, r),
              LATERAL (SELECT st IN ('present', 'late') AND abs(hashtext(p::text || s::text)) % 2 = 1 AS qr) AS q`,
      [
        marks.map((k) => k.sessionId),
        marks.map((k) => k.personId),
        marks.map((k) => k.classId),
        marks.map((k) => k.status),
        marks.map((k) => k.recordedAt),
      ],
    );
  }

  /** Outcomes recorded after the course: most completers can apply at least one AI tool. */
  async recordOutcomes(m: EntityManager, classIds: string[]): Promise<void> {
    await m.query(
      `UPDATE enrolment SET outcome_can_apply = (abs(hashtext(id::text)) % 100) < 72,
                          outcome_score = 5 + (abs(hashtext(person_id::text)) % 50) / 10.0, outcome_recorded_at = completed_at
      WHERE status = 'completed' AND class_id = ANY ($1::uuid[])`,
      [classIds],
    );
  }

  /** A yearly target of a unit; its id. */
  async insertTarget(
    m: EntityManager,
    t: {
      programId: string;
      unitId: number;
      indicator: string;
      period: string;
      kind: string;
      value: number;
      populationFigure: string | null;
    },
  ): Promise<string> {
    const [{ id }]: { id: string }[] = await m.query(
      `INSERT INTO target (program_id, unit_id, indicator, period, kind, value, population_figure)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [t.programId, t.unitId, t.indicator, t.period, t.kind, t.value, t.populationFigure],
    );
    return id;
  }

  /** A target split among units: one absolute target each, pointing to the one split. */
  async insertSplit(
    m: EntityManager,
    s: {
      programId: string;
      indicator: string;
      period: string;
      splitFromId: string;
      unitIds: number[];
      values: number[];
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO target (program_id, unit_id, indicator, period, kind, value, split_from_id)
         SELECT $1, unit_id, $2, $3, 'absolute', value, $4 FROM unnest($5::int[], $6::int[]) AS s(unit_id, value)`,
      [s.programId, s.indicator, s.period, s.splitFromId, s.unitIds, s.values],
    );
  }

  async insertPlanLine(m: EntityManager, t: DemoPlanLine): Promise<void> {
    await m.query(
      `INSERT INTO target (program_id, unit_id, indicator, period, kind, value, base_indicator)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [t.programId, t.unitId, t.indicator, t.period, t.kind, t.value, t.baseIndicator],
    );
  }

  /** A report submitted now (and reviewed now when `reviewedBy` is given). */
  async insertReport(m: EntityManager, r: DemoReportRow): Promise<void> {
    await m.query(
      `INSERT INTO progress_report (program_id, unit_id, organisation_id, period, status, headcount, trained, proficient,
                                    indicators, notes, author_id, submitted_at, reviewed_by, reviewed_at, review_comment,
                                    awaiting_unit_id, approval_step)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), $12, CASE WHEN $12::uuid IS NULL THEN NULL ELSE now() END, $13,
               $14, $15)`,
      [
        r.programId,
        r.unitId,
        r.organisationId,
        r.period,
        r.status,
        r.headcount,
        r.trained,
        r.proficient,
        r.indicators,
        r.notes,
        r.authorId,
        r.reviewedBy,
        r.reviewComment,
        r.awaitingUnitId,
        r.approvalStep,
      ],
    );
  }
}
