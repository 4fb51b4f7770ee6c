import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a unit stands on today's map, as a materialised path for scope checks. A current unit is its own
 * path. An ended unit (a district before 1 July 2025, an old province) stands for the units it became through
 * admin_unit_succession: the deepest unit that holds all of them — the successor itself after a merge, the
 * common parent (a province) after a split among communes of one province, '/' (administrators only) when it
 * was divided among provinces. An ended unit without successors keeps its own path.
 *
 * So a steering member of today's Lào Cai (/15/) covers the programs and records of the old Yên Bái province,
 * of its districts and of its communes, and a commune's steering member covers those of the earlier communes
 * merged into it — not those of a commune only partly merged into theirs.
 */
export class UnitScopePath1796731200000 implements MigrationInterface {
  name = 'UnitScopePath1796731200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION admin_unit_scope_path(start_id integer) RETURNS text LANGUAGE plpgsql STABLE AS $$
      DECLARE
        own text;
        scope text;
        successor_path text;
      BEGIN
        SELECT path INTO own FROM admin_unit WHERE id = start_id AND valid_to IS NOT NULL;
        IF NOT FOUND THEN
          RETURN (SELECT path FROM admin_unit WHERE id = start_id);
        END IF;
        FOR successor_path IN
          WITH RECURSIVE chain (id, hops) AS (
            SELECT start_id, 0
            UNION
            SELECT s.successor_id, c.hops + 1
              FROM chain c
              JOIN admin_unit u ON u.id = c.id AND u.valid_to IS NOT NULL
              JOIN admin_unit_succession s ON s.predecessor_id = c.id
             WHERE c.hops < 20
          )
          SELECT DISTINCT u.path FROM chain c JOIN admin_unit u ON u.id = c.id WHERE u.valid_to IS NULL
        LOOP
          scope := coalesce(scope, successor_path);
          WHILE scope <> '/' AND left(successor_path, length(scope)) <> scope LOOP
            scope := regexp_replace(scope, '[^/]+/$', '');
          END LOOP;
        END LOOP;
        RETURN coalesce(scope, own);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION admin_unit_scope_path(integer)`);
  }
}
