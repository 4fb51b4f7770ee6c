import { join } from 'node:path';
import {
  ImportSummary,
  SuccessionSummary,
  UnitImportService,
  UnitSuccessionService,
} from '../../libs/hierarchy/src';
import { TestApp } from './test-app';

/**
 * The map of Lào Cai before 1 July 2025, cut unchanged from the bundled files (a test checks that they are
 * exact parts of them): the old provinces Lào Cai (10) and Yên Bái (15) with their 18 districts (Văn Yên is
 * 136) and 319 communes, and the lines of the 2025 reorganisation that formed today's Lào Cai (15) from them.
 */
export const OLD_LAO_CAI_UNITS = join(__dirname, '../fixtures/units-2024-lao-cai-yen-bai.json');
export const LAO_CAI_REORGANISATION = join(__dirname, '../fixtures/reorganisation-2025-lao-cai.json');

/**
 * Imports the old Lào Cai and Yên Bái as history beside today's units (the `units` template), and — unless
 * told not to — records which of their units formed today's Lào Cai (a `kpi.rebuild` job is queued).
 */
export async function importOldLaoCai(
  t: TestApp,
  options: { successions?: boolean } = {},
): Promise<{ units: ImportSummary; successions: SuccessionSummary | null }> {
  const units = await t.app.get(UnitImportService).importFile(OLD_LAO_CAI_UNITS);
  const successions =
    options.successions === false
      ? null
      : await t.app.get(UnitSuccessionService).importFile(LAO_CAI_REORGANISATION, { strict: true });
  return { units, successions };
}

/** The id of the unit that carried `code` until 1 July 2025 (an old province, district or commune). */
export async function oldUnitId(t: TestApp, code: string): Promise<number> {
  const rows: { id: number }[] = await t.dataSource.query(
    `SELECT id FROM admin_unit WHERE code = $1 AND valid_to = '2025-07-01'`,
    [code],
  );
  if (rows.length !== 1) throw new Error(`no single unit ${code} ended on 2025-07-01`);
  return rows[0].id;
}
