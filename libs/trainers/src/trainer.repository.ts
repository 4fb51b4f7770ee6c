import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { pagedQuery } from '../../platform/src';
import { Principal } from '../../access/src';
import { behindScheduleSql, lastFourWeeksSql } from './pace';
import { TrainerTier } from './trainer.entity';
import { trainerScopeSql } from './trainer.scope';

export interface TrainerRow {
  id: string;
  seq: string;
  programId: string;
  personId: string;
  fullName: string;
  birthYear: number;
  tier: TrainerTier;
  homeUnitId: number;
  homeUnitCode: string;
  homeUnitName: string;
  homeUnitPath: string;
  quota: number;
  quotaOverride: number | null;
  status: 'active' | 'inactive';
  trainedById: string | null;
  trainedByName: string | null;
  lineagePath: string;
  depth: number;
  directReach: number;
  registeredOn: string;
  imported: boolean;
  createdAt: Date;
  /** The program's last day (for pace). */
  programEndsOn: string;
}

/** Trainer columns with person, home unit, program default quota and trainer (aliases t, p, hu, g, b). */
export const TRAINER_SELECT = `
  SELECT t.id, t.seq::text AS seq, t.program_id AS "programId", t.person_id AS "personId", p.full_name AS "fullName",
         p.birth_year AS "birthYear", t.tier, t.home_unit_id AS "homeUnitId", hu.code AS "homeUnitCode",
         hu.full_name AS "homeUnitName", hu.path AS "homeUnitPath", coalesce(t.quota, g.default_quota) AS quota,
         t.quota AS "quotaOverride", t.status, t.trained_by_id AS "trainedById", bp.full_name AS "trainedByName",
         t.lineage_path AS "lineagePath", t.depth, t.direct_reach AS "directReach", t.registered_on::text AS "registeredOn", t.imported,
         t.created_at AS "createdAt", g.ends_on AS "programEndsOn",
         p.sort_key
    FROM trainer t
    JOIN person p ON p.id = t.person_id
    JOIN admin_unit hu ON hu.id = t.home_unit_id
    JOIN program g ON g.id = t.program_id
    LEFT JOIN trainer b ON b.id = t.trained_by_id
    LEFT JOIN person bp ON bp.id = b.person_id`;

/** The trainer, if the principal may see them: SQL with TRAINER_SELECT's columns, and its parameters. */
export function visibleTrainerSql(principal: Principal, programId: string, trainerId: string) {
  const params: unknown[] = [programId, trainerId];
  const scope = trainerScopeSql(principal, params);
  return { sql: `${TRAINER_SELECT} WHERE t.program_id = $1 AND t.id = $2 AND ${scope}`, params };
}

export type LeaderboardSort = 'reach' | 'quota' | 'pace';

type LeaderboardRow = TrainerRow & { lastFourWeeks: number; progress: string };

const LEADERBOARD_ORDER: Record<LeaderboardSort, string> = {
  reach: '"directReach" DESC',
  quota: 'progress DESC',
  pace: '"lastFourWeeks" DESC',
};

@Injectable()
export class TrainerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(
    programId: string,
    id: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<TrainerRow | null> {
    const rows: TrainerRow[] = await m.query(`${TRAINER_SELECT} WHERE t.program_id = $1 AND t.id = $2`, [
      programId,
      id,
    ]);
    return rows[0] ?? null;
  }

  async byPerson(m: EntityManager, programId: string, personId: string): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM trainer WHERE program_id = $1 AND person_id = $2`,
      [programId, personId],
    );
    return rows[0]?.id ?? null;
  }

  /** The trainer, if the principal may see them. */
  async visible(principal: Principal, programId: string, trainerId: string): Promise<TrainerRow | undefined> {
    const { sql, params } = visibleTrainerSql(principal, programId, trainerId);
    const rows: TrainerRow[] = await this.dataSource.query(sql, params);
    return rows[0];
  }

  /**
   * A page of the trainers of a program the principal sees, whose home unit lies under `unitPath`, of `tier`,
   * whose folded name contains `nameKey` (each when given), in Vietnamese name order.
   */
  async list(
    principal: Principal,
    programId: string,
    filter: { unitPath?: string; tier?: TrainerTier; nameKey?: string },
    limit: number,
    offset: number,
  ) {
    const params: unknown[] = [];
    const conditions = [trainerScopeSql(principal, params)];
    if (filter.unitPath !== undefined) {
      params.push(`${filter.unitPath}%`);
      conditions.push(`hu.path LIKE $${params.length}`);
    }
    if (filter.tier) {
      params.push(filter.tier);
      conditions.push(`t.tier = $${params.length}`);
    }
    if (filter.nameKey !== undefined) {
      params.push(`%${filter.nameKey}%`);
      conditions.push(`p.name_key LIKE $${params.length}`);
    }
    return pagedQuery<TrainerRow>(
      this.dataSource,
      `${TRAINER_SELECT} WHERE t.program_id = $${params.length + 1} AND ${conditions.join(' AND ') || 'TRUE'}`,
      [...params, programId],
      'depth, sort_key, id',
      limit,
      offset,
    );
  }

  async insert(
    m: EntityManager,
    t: {
      programId: string;
      personId: string;
      tier: TrainerTier;
      homeUnitId: number;
      quota: number | null;
      trainedById: string | null;
      /** YYYY-MM-DD, Vietnamese day. */
      registeredOn: string;
      imported?: boolean;
    },
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO trainer (program_id, person_id, tier, home_unit_id, quota, trained_by_id, lineage_path, depth,
                            registered_on, imported)
       VALUES ($1, $2, $3, $4, $5, $6, '', 0, $7, $8) RETURNING id`,
      [
        t.programId,
        t.personId,
        t.tier,
        t.homeUnitId,
        t.quota,
        t.trainedById,
        t.registeredOn,
        t.imported ?? false,
      ],
    );
    // The path ends with the trainer's own seq, which exists only once the row does.
    await m.query(
      `UPDATE trainer t SET lineage_path = coalesce(b.lineage_path, '/') || t.seq || '/', depth = coalesce(b.depth + 1, 0)
         FROM trainer self LEFT JOIN trainer b ON b.id = self.trained_by_id
        WHERE t.id = $1 AND self.id = $1`,
      [row.id],
    );
    return row.id;
  }

  async update(
    m: EntityManager,
    id: string,
    changes: { tier: TrainerTier; homeUnitId: number; quota: number | null; status: string },
  ): Promise<void> {
    await m.query(
      `UPDATE trainer SET tier = $2, home_unit_id = $3, quota = $4, status = $5, updated_at = now() WHERE id = $1`,
      [id, changes.tier, changes.homeUnitId, changes.quota, changes.status],
    );
  }

  /**
   * Re-links a trainer under another (or none); the whole downstream subtree's paths and depths follow.
   * Returns the trainer's new lineage path.
   */
  async moveUnder(m: EntityManager, trainer: TrainerRow, parent: TrainerRow | null): Promise<string> {
    const newPath = `${parent?.lineagePath ?? '/'}${trainer.seq}/`;
    const delta = (parent ? parent.depth + 1 : 0) - trainer.depth;
    await m.query(`UPDATE trainer SET trained_by_id = $2, updated_at = now() WHERE id = $1`, [
      trainer.id,
      parent?.id ?? null,
    ]);
    await m.query(
      `UPDATE trainer SET lineage_path = $3 || substr(lineage_path, length($2) + 1), depth = depth + $4
        WHERE program_id = $1 AND lineage_path LIKE $2 || '%'`,
      [trainer.programId, trainer.lineagePath, newPath, delta],
    );
    return newPath;
  }

  /** The chain above a trainer, root first (the seqs in its own lineage path). */
  async lineage(trainer: TrainerRow): Promise<TrainerRow[]> {
    const seqs = trainer.lineagePath.split('/').filter(Boolean).slice(0, -1);
    if (!seqs.length) return [];
    return this.dataSource.query(
      `${TRAINER_SELECT} WHERE t.program_id = $1 AND t.seq = ANY ($2::bigint[]) ORDER BY t.depth`,
      [trainer.programId, seqs],
    );
  }

  async lock(m: EntityManager, id: string): Promise<void> {
    await m.query(`SELECT 1 FROM trainer WHERE id = $1 FOR UPDATE`, [id]);
  }

  async ofPerson(m: EntityManager, personId: string): Promise<{ id: string; programId: string }[]> {
    return m.query(
      `SELECT id, program_id AS "programId" FROM trainer WHERE person_id = $1 ORDER BY id FOR UPDATE`,
      [personId],
    );
  }

  async reassignPerson(m: EntityManager, trainerIds: string[], personId: string): Promise<void> {
    await m.query(`UPDATE trainer SET person_id = $2, updated_at = now() WHERE id = ANY ($1::uuid[])`, [
      trainerIds,
      personId,
    ]);
  }

  /**
   * The trainer's rank by direct reach (`directReach`) among the active trainers of their home unit
   * (`homeUnitPath`) and of each unit above it, nearest first.
   */
  async standings(
    programId: string,
    homeUnitPath: string,
    directReach: number,
  ): Promise<{ code: string; fullName: string; rank: number; of: number }[]> {
    return this.dataSource.query(
      `SELECT u.code, u.full_name AS "fullName",
              (SELECT count(*)::int + 1 FROM trainer t JOIN admin_unit hu ON hu.id = t.home_unit_id
                WHERE t.program_id = $1 AND t.status = 'active' AND hu.path LIKE u.path || '%'
                  AND t.direct_reach > $3) AS rank,
              (SELECT count(*)::int FROM trainer t JOIN admin_unit hu ON hu.id = t.home_unit_id
                WHERE t.program_id = $1 AND t.status = 'active' AND hu.path LIKE u.path || '%') AS "of"
         FROM admin_unit u
        WHERE $2 LIKE u.path || '%' AND (u.valid_to IS NULL OR u.path = $2)
        ORDER BY length(u.path) DESC`,
      [programId, homeUnitPath, directReach],
    );
  }

  /**
   * The leaderboard over a program's active trainers the principal sees (with a home unit under `unitPath`
   * when given). The trainers are ranked on what their own rows keep — direct reach, quota, and the person's
   * name for ties — with the 4-week pace from trainer_reach_daily (one primary-key range per trainer) summed
   * for every trainer only when the order (pace) or the filter (behind schedule) needs it; the page's trainers
   * are then read whole, with their pace, in a second statement.
   */
  async leaderboard(
    principal: Principal,
    programId: string,
    unitPath: string | undefined,
    today: string,
    sort: LeaderboardSort,
    limit: number,
    offset: number,
    /** Only the trainers behind schedule, given the days left to the program's end. */
    behind?: { daysToEnd: number },
  ): Promise<{ rows: LeaderboardRow[]; total: number }> {
    const params: unknown[] = [];
    const conditions = [trainerScopeSql(principal, params), `t.status = 'active'`];
    if (unitPath !== undefined) {
      params.push(`${unitPath}%`);
      conditions.push(`hu.path LIKE $${params.length}`);
    }
    const n = params.length;
    const everyPace = sort === 'pace' || behind !== undefined;
    const behindOnly = behind
      ? `WHERE ${behindScheduleSql('y.quota', 'y."directReach"', 'y."lastFourWeeks"', `$${n + 3}`)}`
      : '';
    const ranked = await pagedQuery<{ id: string; progress: string }>(
      this.dataSource,
      `SELECT * FROM (
       SELECT x.*, x."directReach"::numeric / x.quota AS progress
              ${everyPace ? `, ${lastFourWeeksSql('x.id', `$${n + 2}`)} AS "lastFourWeeks"` : ''}
         FROM (SELECT t.id, t.direct_reach AS "directReach", coalesce(t.quota, g.default_quota) AS quota, p.sort_key
                 FROM trainer t
                 JOIN person p ON p.id = t.person_id
                 JOIN admin_unit hu ON hu.id = t.home_unit_id
                 JOIN program g ON g.id = t.program_id
                WHERE t.program_id = $${n + 1} AND ${conditions.join(' AND ')}) x) y
     ${behindOnly}`,
      [...params, programId, ...(everyPace ? [today] : []), ...(behind ? [behind.daysToEnd] : [])],
      `${LEADERBOARD_ORDER[sort]}, "directReach" DESC, sort_key, id`,
      limit,
      offset,
    );
    if (!ranked.rows.length) return { rows: [], total: ranked.total };
    const trainers: (TrainerRow & { lastFourWeeks: number })[] = await this.dataSource.query(
      `SELECT x.*, ${lastFourWeeksSql('x.id', '$2')} AS "lastFourWeeks"
         FROM (${TRAINER_SELECT} WHERE t.id = ANY ($1::uuid[])) x`,
      [ranked.rows.map((r) => r.id), today],
    );
    const byId = new Map(trainers.map((t) => [t.id, t]));
    // In ranked order; a trainer deleted between the two statements is left out of the page.
    const rows = ranked.rows.flatMap((r) => {
      const trainer = byId.get(r.id);
      return trainer ? [{ ...trainer, progress: r.progress }] : [];
    });
    return { rows, total: ranked.total };
  }

  /** Trainers downstream of `lineagePath` (ix_trainer_lineage), generation by generation. */
  async downstream(
    programId: string,
    lineagePath: string,
    maxDepth: number | null,
    limit: number,
    offset: number,
  ) {
    return pagedQuery<TrainerRow>(
      this.dataSource,
      `${TRAINER_SELECT}
      WHERE t.program_id = $1 AND t.lineage_path LIKE $2 || '%' AND t.lineage_path <> $2
        AND ($3::int IS NULL OR t.depth <= $3)`,
      [programId, lineagePath, maxDepth],
      'depth, sort_key, id',
      limit,
      offset,
    );
  }
}
