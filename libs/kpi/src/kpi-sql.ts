/** How KPI figures attribute records to units: as recorded, or on today's map. */
export const KPI_VIEWS = ['recorded', 'current'] as const;
export type KpiView = (typeof KPI_VIEWS)[number];

export const VIEW_LABELS: Record<KpiView, string> = {
  recorded: 'theo địa bàn tại thời điểm ghi nhận',
  current: 'theo địa giới hành chính hiện nay',
};

const PATH_IDS = (path: string) => `string_to_array(trim(both '/' FROM ${path}), '/')::int[]`;

/**
 * The units a record at `unit` on `day` counts in, as recorded: the unit and its ancestors as they stood that
 * day. Only units whose line has a history of changes need the walk; for the rest the path says it all.
 */
const recordedChain = (unit: string, day: string) => `
  CASE WHEN EXISTS (SELECT 1 FROM admin_unit_history h JOIN admin_unit x ON x.id = ${unit}
                     WHERE h.unit_id = ANY (${PATH_IDS('x.path')}))
       THEN kpi_ancestors_as_of(${unit}, ${day})
       ELSE (SELECT ${PATH_IDS('x.path')} FROM admin_unit x WHERE x.id = ${unit}) END`;

/**
 * The rows of `source` (which has columns unit_id and day) once for every unit they count in, with that unit
 * as column `anc`. The unit chains are worked out once per distinct (unit, day) — or per unit on today's map,
 * where a historical unit stands for the unit it became through merges and splits.
 */
export function attributed(view: KpiView, source: string): string {
  if (view === 'recorded') {
    return `
      WITH src AS MATERIALIZED (${source}),
           keys AS (SELECT DISTINCT unit_id, day FROM src),
           chains AS (SELECT k.unit_id, k.day, unnest(${recordedChain('k.unit_id', 'k.day')}) AS anc FROM keys k)
      SELECT src.*, chains.anc FROM src JOIN chains ON chains.unit_id = src.unit_id AND chains.day = src.day`;
  }
  return `
    WITH src AS MATERIALIZED (${source}),
         keys AS (SELECT u.unit_id, kpi_current_unit(u.unit_id) AS now_id FROM (SELECT DISTINCT unit_id FROM src) u),
         chains AS (SELECT k.unit_id, unnest(${PATH_IDS('n.path')}) AS anc FROM keys k JOIN admin_unit n ON n.id = k.now_id)
    SELECT src.*, chains.anc FROM src JOIN chains ON chains.unit_id = src.unit_id`;
}
