import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ADVISORY_LOCKS, isCalendarDate, projectRoot } from '../../platform/src';
import { ParsedUnitFile, parseUnitFileText } from './unit-file';
import { UnitErrors } from './unit.errors';
import { NewUnit, UnitRecord, UnitWriter } from './unit-writer.repository';

export const BUNDLED_UNITS_FILE = 'libs/hierarchy/data/vn-admin-units-2026.json';

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
  total: number;
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Imports a units file in one transaction: a unit of the file is the unit already stored with the same
 * level and code whose validity overlaps the file's, otherwise a new one. Importing the same file again
 * changes nothing; a unit stored but absent from the file is left alone (a file adds or corrects, it does
 * not end units — reorganisations do that, with history).
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
    return this.importText(await readFile(path, 'utf8'), options);
  }

  /** On the first start of an empty database, the bundled list of today's units. */
  async seedIfEmpty(file: string | null): Promise<ImportSummary | null> {
    if (file === null) return null;
    const path = file === 'default' ? join(projectRoot(), BUNDLED_UNITS_FILE) : file;
    const parsed = parseUnitFileText(await readFile(path, 'utf8'));
    return this.dataSource.transaction(async (m) => {
      // Two processes starting on an empty database: the second waits here, then finds the units.
      await m.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.seed]);
      const [{ n }]: { n: number }[] = await m.query('SELECT count(*)::int AS n FROM admin_unit');
      if (n > 0) return null;
      const summary = await this.importParsed(m, parsed, {});
      this.logger.log(`Imported ${summary.created} administrative units from ${path}`);
      return summary;
    });
  }

  async importParsed(
    m: EntityManager,
    parsed: ParsedUnitFile,
    options: ImportOptions,
  ): Promise<ImportSummary> {
    const validFrom =
      options.validFrom ?? (parsed.shape === 'two-level' ? TWO_LEVEL_SINCE : THREE_LEVEL_SINCE);
    const validTo = options.validTo ?? null;
    if (
      !isCalendarDate(validFrom) ||
      (validTo !== null && (!isCalendarDate(validTo) || validTo <= validFrom))
    ) {
      throw UnitErrors.fileInvalid(
        [{ field: 'validFrom/validTo', reason: 'khoảng hiệu lực không hợp lệ' }],
        1,
      );
    }
    const existing = new Map<string, UnitRecord>();
    for (const unit of await this.writer.overlapping(
      m,
      parsed.units.map((u) => u.code),
      validFrom,
      validTo,
    )) {
      existing.set(`${unit.level}:${unit.code}`, unit);
    }
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
      total: parsed.units.length,
      created: inserts.length,
      updated,
      unchanged,
    };
  }
}
