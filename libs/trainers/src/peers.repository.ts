import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A row of a unit's board of trainers, with the board's size and the offset of the page it is on. */
export interface PeerRow {
  rank: number;
  id: string;
  fullName: string;
  code: string;
  unitName: string;
  directReach: number;
  total: number;
  offset: number;
}

/** The boards of trainers by people reached in a commune or province (PeersService). */
@Injectable()
export class PeersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The path of the unit with this code on today's map, when it is `homeUnitPath` or lies above it. */
  async unitAbove(code: string, homeUnitPath: string): Promise<string | undefined> {
    const units: { path: string }[] = await this.dataSource.query(
      `SELECT path FROM admin_unit WHERE code = $1 AND valid_to IS NULL AND $2 LIKE path || '%'`,
      [code, homeUnitPath],
    );
    return units[0]?.path;
  }

  /**
   * One page of the board of the program's active trainers whose home unit lies under `path`: from `offset`,
   * or — `aroundMe` — the page that holds `trainerId` (the first page when they are not on the board).
   */
  async board(
    programId: string,
    path: string,
    page: { limit: number; offset: number; aroundMe: boolean },
    trainerId: string,
  ): Promise<PeerRow[]> {
    // A province has a few hundred trainers: the board is numbered in full, then one page is taken.
    return this.dataSource.query(
      `WITH board AS (
         SELECT rank() OVER (ORDER BY t.direct_reach DESC)::int AS rank,
                row_number() OVER (ORDER BY t.direct_reach DESC, p.sort_key, t.id)::int AS pos,
                count(*) OVER ()::int AS total,
                t.id, p.full_name AS "fullName", hu.code, hu.full_name AS "unitName", t.direct_reach AS "directReach"
           FROM trainer t
           JOIN person p ON p.id = t.person_id
           JOIN admin_unit hu ON hu.id = t.home_unit_id
          WHERE t.program_id = $1 AND t.status = 'active' AND hu.path LIKE $2 || '%'),
       start AS (
         SELECT CASE WHEN $5 THEN coalesce((SELECT (pos - 1) / $3 * $3 FROM board WHERE id = $6), 0)
                     ELSE $4 END AS "offset")
       SELECT b.rank, b.id, b."fullName", b.code, b."unitName", b."directReach", b.total, s."offset"
         FROM board b, start s
        WHERE b.pos > s."offset"
        ORDER BY b.pos
        LIMIT $3`,
      [programId, path, page.limit, page.offset, page.aroundMe, trainerId],
    );
  }

  /** How many are on the board (when the page asked for is past its end). */
  async count(programId: string, path: string): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM trainer t JOIN admin_unit hu ON hu.id = t.home_unit_id
        WHERE t.program_id = $1 AND t.status = 'active' AND hu.path LIKE $2 || '%'`,
      [programId, path],
    );
    return rows[0].n;
  }
}
