import { Injectable } from '@nestjs/common';
import { ReadReplicas } from '../../platform/src';
import { TrainerSplitDto } from './flag.dto';

/**
 * The people of a program whose records are questioned: open flags (flagged) or a reviewer's exclusion
 * (excluded wins). A person is one status in the whole program, so at every level verified + flagged +
 * excluded is the all-records figure, each counted as distinct people (DESIGN §3 rule 1).
 */
const STATUS = `
  st AS (SELECT r.person_id, bool_or(f.status = 'excluded') AS excluded
           FROM data_flag f JOIN data_flag_record r ON r.flag_id = f.id
          WHERE f.program_id = $1 AND f.status IN ('open', 'excluded')
          GROUP BY r.person_id)`;

/** The split of one condition over rows joined to st: all, verified, flagged, excluded. */
const split = (name: string, when: string) => `
  count(*) FILTER (WHERE ${when})::int AS "${name}All",
  count(*) FILTER (WHERE ${when} AND st.person_id IS NULL)::int AS "${name}Verified",
  count(*) FILTER (WHERE ${when} AND NOT st.excluded)::int AS "${name}Flagged",
  count(*) FILTER (WHERE ${when} AND st.excluded)::int AS "${name}Excluded"`;

/** The KPI figures split by flags, and when a person fact counts for each (x: kpi_person_fact, period $4–$5). */
export const FIGURE_CONDITIONS = {
  learners_reached: 'x.first_attended_on >= $4 AND x.first_attended_on < $5',
  completions: 'x.completed_on >= $4 AND x.completed_on < $5',
  proficient_learners: 'x.proficient AND x.completed_on >= $4 AND x.completed_on < $5',
} as const;

export type FigureCode = keyof typeof FIGURE_CONDITIONS;

/** Every figure's split, as select columns over rows joined to st. */
const FIGURE_SPLITS = Object.entries(FIGURE_CONDITIONS)
  .map(([code, when]) => split(code, when))
  .join(',');

export interface UnitRow {
  id: number;
  code: string;
  fullName: string;
  path: string;
  scopePath: string;
}

/** A trainer's reach split by flags, with the number of trainers matched (`total`). */
export type TrainerSplitRow = Omit<TrainerSplitDto, 'rank' | 'flaggedShare'>;

/** The reads of FlagFiguresService, all from a replica when one is fresh enough (ReadReplicas). */
@Injectable()
export class FlagFiguresRepository {
  constructor(private readonly reads: ReadReplicas) {}

  /** The units directly under the unit on today's map, by code. */
  async children(unitId: number): Promise<UnitRow[]> {
    return this.reads.query(
      `SELECT id, code, full_name AS "fullName", path, admin_unit_scope_path(id) AS "scopePath"
         FROM admin_unit WHERE parent_id = $1 AND valid_to IS NULL ORDER BY code`,
      [unitId],
    );
  }

  /** Per unit of `unitIds`: each figure's split (`<code>All`, `…Verified`, `…Flagged`, `…Excluded`). */
  async unitSplits(
    programId: string,
    view: 'recorded' | 'current',
    unitIds: number[],
    from: string,
    to: string,
  ): Promise<Record<string, number>[]> {
    return this.reads.query(
      `WITH ${STATUS}
       SELECT x.unit_id AS "unitId", ${FIGURE_SPLITS}
         FROM kpi_person_fact x LEFT JOIN st ON st.person_id = x.person_id
        WHERE x.program_id = $1 AND x.view = $2 AND x.unit_id = ANY ($3::int[])
        GROUP BY x.unit_id`,
      [programId, view, unitIds, from, to],
    );
  }

  /**
   * The program's active trainers whose home unit lies under `unitPath` (only `trainerIds` when given), their
   * reach from `from` to `to` split by flags, ranked on all or verified reach; a page of them.
   */
  async trainerSplits(
    programId: string,
    unitPath: string,
    from: string,
    to: string,
    rank: 'all' | 'verified',
    page: { limit: number; offset: number },
    trainerIds: string[] | null,
  ): Promise<TrainerSplitRow[]> {
    return this.reads.query(
      `WITH ${STATUS},
       tr AS (SELECT t.id, p.full_name, u.full_name AS unit_name, p.sort_key
                FROM trainer t JOIN person p ON p.id = t.person_id JOIN admin_unit u ON u.id = t.home_unit_id
               WHERE t.program_id = $1 AND t.status = 'active' AND starts_with(u.path, $2)
                 AND ($7::uuid[] IS NULL OR t.id = ANY ($7::uuid[])))
       SELECT tr.id AS "trainerId", tr.full_name AS "fullName", tr.unit_name AS "unitName",
              count(rf.person_id)::int AS "reachAll",
              count(rf.person_id) FILTER (WHERE st.person_id IS NULL)::int AS "reachVerified",
              count(rf.person_id) FILTER (WHERE NOT st.excluded)::int AS "reachFlagged",
              count(rf.person_id) FILTER (WHERE st.excluded)::int AS "reachExcluded",
              (SELECT count(*)::int FROM data_flag f WHERE f.trainer_id = tr.id AND f.status = 'open') AS "openFlags",
              (count(*) OVER ())::int AS total
         FROM tr
         LEFT JOIN reach_fact rf ON rf.trainer_id = tr.id AND rf.reached_on >= $3 AND rf.reached_on < $4
         LEFT JOIN st ON st.person_id = rf.person_id
        GROUP BY tr.id, tr.full_name, tr.unit_name, tr.sort_key
        ORDER BY ${rank === 'all' ? '"reachAll"' : '"reachVerified"'} DESC, tr.sort_key, tr.id
        LIMIT $5 OFFSET $6`,
      [programId, unitPath, from, to, page.limit, page.offset, trainerIds],
    );
  }

  /** The program's first day, if there is such a program. */
  async programStart(programId: string): Promise<string | undefined> {
    const [program]: { startsOn: string }[] = await this.reads.query(
      `SELECT starts_on::text AS "startsOn" FROM program WHERE id = $1`,
      [programId],
    );
    return program?.startsOn;
  }

  /** The unit with this code on today's map. */
  async currentUnit(code: string): Promise<UnitRow | undefined> {
    const [unit]: UnitRow[] = await this.reads.query(
      `SELECT id, code, full_name AS "fullName", path, admin_unit_scope_path(id) AS "scopePath"
         FROM admin_unit WHERE code = $1 AND valid_to IS NULL`,
      [code],
    );
    return unit;
  }
}
