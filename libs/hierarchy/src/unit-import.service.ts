import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FieldError, isCalendarDate, projectRoot } from '../../platform/src';
import { readDataFile } from './data-file';
import { ParsedUnitFile, parseUnitFileText } from './unit-file';
import { UnitErrors } from './unit.errors';
import { NewUnit, UnitRecord, UnitWriter } from './unit-writer.repository';

/** Today's map, imported on the first start. */
export const BUNDLED_UNITS_FILE = 'libs/hierarchy/data/vn-admin-units-2026.json';
/** The last three-level map (63 provinces, 696 districts, 10,035 communes), imported as history on demand. */
export const BUNDLED_HISTORY_FILE = 'libs/hierarchy/data/vn-admin-units-2024.json';

/** The 2025 reorganisation (two levels, no districts) took effect on this day. */
export const TWO_LEVEL_SINCE = '2025-07-01';
/** Default start of validity for older three-level lists when the caller gives none. */
export const THREE_LEVEL_SINCE = '2000-01-01';

export interface ImportOptions {
  validFrom?: string;
  validTo?: string | null;
}

export interface ImportSummary {
  shape: ParsedUnitFile['shape'];
  validFrom: string;
  validTo: string | null;
  /** Whether the file was imported as an earlier map (its units end on `validTo`). */
  history: boolean;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
}

const MAX_ERRORS = 100;

/**
 * Imports a units file in one transaction: a unit of the file is the unit already stored with the same
 * level and code whose validity overlaps the file's, otherwise a new one. Importing the same file again
 * changes nothing; a unit stored but absent from the file is left alone (a file adds or corrects, it does
 * not end units — reorganisations do that, with history).
 *
 * An older map is always history, whatever the options: a three-level list (with districts) ends on
 * 1 July 2025 unless told an earlier end, and a file with an end date never matches, renames or moves a
 * current unit — an older unit carrying the code of today's unit is a different unit, ended, beside it.
 */
@Injectable()
export class UnitImportService {
  private readonly logger = new Logger('UnitImport');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: UnitWriter,
  ) {}

  async importText(text: string, options: ImportOptions = {}): Promise<ImportSummary> {
    const parsed = parseUnitFileText(text);
    return this.dataSource.transaction((m) => this.importParsed(m, parsed, options));
  }

  async importFile(path: string, options: ImportOptions = {}): Promise<ImportSummary> {
    return this.importText(await readDataFile(path), options);
  }

  /**
   * On a start without today's units (a new database, or one where only an older map was imported), the
   * bundled list of today's units.
   */
  async seedIfEmpty(file: string | null): Promise<ImportSummary | null> {
    if (file === null) return null;
    const path = file === 'default' ? join(projectRoot(), BUNDLED_UNITS_FILE) : file;
    const parsed = parseUnitFileText(await readDataFile(path));
    return this.dataSource.transaction(async (m) => {
      if ((await this.writer.lockSeedAndCountCurrent(m)) > 0) return null;
      const summary = await this.importParsed(m, parsed, {});
      this.logger.log(`Imported ${summary.created} administrative units from ${path}`);
      return summary;
    });
  }

  /** The validity a file's units get: the options, or what the file's shape implies. */
  validity(parsed: ParsedUnitFile, options: ImportOptions): { validFrom: string; validTo: string | null } {
    const problems: FieldError[] = [];
    for (const field of ['validFrom', 'validTo'] as const) {
      const value = options[field];
      if (value !== undefined && value !== null && !isCalendarDate(value)) {
        problems.push({ field, reason: `${JSON.stringify(value)} không phải ngày hợp lệ (YYYY-MM-DD)` });
      }
    }
    let validFrom: string;
    let validTo: string | null;
    if (parsed.shape === 'three-level') {
      // Districts were abolished on 1 July 2025: a list with districts is a map of before that day.
      validFrom = options.validFrom ?? THREE_LEVEL_SINCE;
      validTo = options.validTo ?? TWO_LEVEL_SINCE;
      if (validTo > TWO_LEVEL_SINCE) {
        problems.push({
          field: 'validTo',
          reason: `danh mục ba cấp (có cấp huyện) chỉ có hiệu lực đến hết ngày 30/06/2025: ngày kết thúc phải không muộn hơn ${TWO_LEVEL_SINCE}, không phải ${validTo}`,
        });
      }
    } else {
      validFrom = options.validFrom ?? TWO_LEVEL_SINCE;
      validTo = options.validTo ?? null;
      if (validFrom < TWO_LEVEL_SINCE) {
        problems.push({
          field: 'validFrom',
          reason: `danh mục hai cấp (không có cấp huyện) chỉ có từ ngày 01/07/2025: ngày bắt đầu phải từ ${TWO_LEVEL_SINCE}, không phải ${validFrom}`,
        });
      }
    }
    if (!problems.length && validTo !== null && validTo <= validFrom) {
      problems.push({ field: 'validTo', reason: `phải sau ngày bắt đầu ${validFrom}` });
    }
    if (problems.length) throw UnitErrors.fileInvalid(problems, problems.length);
    return { validFrom, validTo };
  }

  async importParsed(
    m: EntityManager,
    parsed: ParsedUnitFile,
    options: ImportOptions,
  ): Promise<ImportSummary> {
    const { validFrom, validTo } = this.validity(parsed, options);
    const history = validTo !== null;
    const existing = new Map<string, UnitRecord>();
    const conflicts: FieldError[] = [];
    let conflictCount = 0;
    const byKey = new Map(parsed.units.map((u) => [`${u.level}:${u.code}`, u]));
    for (const unit of await this.writer.overlapping(
      m,
      parsed.units.map((u) => u.code),
      validFrom,
      validTo,
    )) {
      const key = `${unit.level}:${unit.code}`;
      const own = byKey.get(key);
      if (!own) continue;
      if (history && unit.validTo === null) {
        // Today's unit with the code of an older one: matching it would rename or move it into the past.
        if (++conflictCount <= MAX_ERRORS) {
          conflicts.push({
            field: own.where,
            reason: `${own.fullName} (mã ${own.code}) của tệp, hiệu lực ${validFrom} – ${validTo}, trùng thời gian với đơn vị hiện hành ${unit.fullName} (mã ${unit.code}, từ ${unit.validFrom}); ngày kết thúc của danh mục cũ phải không muộn hơn ${unit.validFrom}`,
          });
        }
        continue;
      }
      // Of several units with the code, today's wins (a current list corrects today's map).
      if (existing.get(key)?.validTo !== null) existing.set(key, unit);
    }
    if (conflictCount) throw UnitErrors.historyOverlapsCurrent(conflicts, conflictCount);
    const fresh = parsed.units.filter((u) => !existing.has(`${u.level}:${u.code}`));
    const ids = await this.writer.allocateIds(m, fresh.length);
    const placed = new Map<string, { id: number; path: string; depth: number }>();
    const inserts: NewUnit[] = [];
    const corrections: UnitRecord[] = [];
    const moves: { unit: UnitRecord; parentCode: string | null }[] = [];
    let unchanged = 0;
    for (const unit of parsed.units) {
      const parent = unit.parentCode === null ? null : placed.get(unit.parentCode)!;
      const stored = existing.get(`${unit.level}:${unit.code}`);
      if (stored) {
        const renamed =
          stored.type !== unit.type || stored.name !== unit.name || stored.fullName !== unit.fullName;
        const moved = stored.parentId !== (parent?.id ?? null);
        if (renamed)
          corrections.push({ ...stored, type: unit.type, name: unit.name, fullName: unit.fullName });
        if (moved) moves.push({ unit: stored, parentCode: unit.parentCode });
        if (!renamed && !moved) unchanged++;
        const path = moved ? `${parent?.path ?? '/'}${stored.id}/` : stored.path;
        placed.set(unit.code, { id: stored.id, path, depth: parent ? parent.depth + 1 : stored.depth });
        continue;
      }
      const id = ids[inserts.length];
      const path = `${parent?.path ?? '/'}${id}/`;
      const depth = parent ? parent.depth + 1 : 0;
      placed.set(unit.code, { id, path, depth });
      inserts.push({ ...unit, id, parentId: parent?.id ?? null, path, depth, validFrom, validTo });
    }
    await this.writer.insert(m, inserts);
    await this.writer.correct(m, corrections);
    for (const { unit, parentCode } of moves) {
      await this.writer.moveUnder(m, unit.id, parentCode === null ? null : placed.get(parentCode)!.id, null);
    }
    const updated = new Set([...corrections.map((u) => u.id), ...moves.map((x) => x.unit.id)]).size;
    return {
      shape: parsed.shape,
      validFrom,
      validTo,
      history,
      total: parsed.units.length,
      created: inserts.length,
      updated,
      unchanged,
    };
  }
}
