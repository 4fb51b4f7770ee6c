/** Anything that can run SQL: a DataSource, an EntityManager or a QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * One page of `sql` (a complete SELECT, possibly with its own WITH) and the total number of rows it matches,
 * in one round trip; a page past the end still reports the total. `orderBy` refers to the select's columns
 * and must end with a unique key so that pages never overlap.
 */
export async function pagedQuery<T>(
  db: Queryable,
  sql: string,
  params: unknown[],
  orderBy: string,
  limit: number,
  offset: number,
): Promise<{ rows: T[]; total: number }> {
  const n = params.length;
  const rows = (await db.query(
    `SELECT x.*, count(*) OVER ()::int AS "__total" FROM (${sql}) x ORDER BY ${orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...params, limit, offset],
  )) as (T & { __total: number })[];
  if (rows.length === 0) {
    if (offset === 0) return { rows: [], total: 0 };
    const [row] = (await db.query(`SELECT count(*)::int AS n FROM (${sql}) x`, params)) as { n: number }[];
    return { rows: [], total: row.n };
  }
  const total = rows[0].__total;
  return { rows: rows.map(({ __total: _total, ...row }) => row as unknown as T), total };
}

/**
 * The rows of a statement with RETURNING. TypeORM's `query()` answers UPDATE and DELETE with
 * `[rows, rowCount]` but INSERT and SELECT with the rows themselves; this gives the rows in every case.
 */
export async function returning<T>(db: Queryable, sql: string, params: unknown[]): Promise<T[]> {
  const result = (await db.query(sql, params)) as T[] | [T[], number];
  const structured = result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
  return structured ? (result as [T[], number])[0] : (result as T[]);
}
