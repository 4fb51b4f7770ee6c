import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FieldError, foldVietnamese, isCalendarDate, projectRoot } from '../../platform/src';
import { ParsedSuccession, parseSuccessionFileText } from './succession-file';
import { UnitLevel } from './unit.entity';
import { UnitErrors } from './unit.errors';
import { readDataFile } from './data-file';
import { parseUnitFileText } from './unit-file';
import {
  BUNDLED_HISTORY_FILE,
  ImportSummary,
  TWO_LEVEL_SINCE,
  UnitImportService,
} from './unit-import.service';
import { UnitReorgService } from './unit-reorg.service';
import { UnitRecord, UnitWriter } from './unit-writer.repository';

/** Which earlier units formed each unit of today's map on 1 July 2025 (dvhcvn/20250701, MIT). */
export const BUNDLED_SUCCESSIONS_FILE = 'libs/hierarchy/data/reorganisation-2025/merges.json';

export interface SuccessionOptions {
  /** The day the earlier units ended and today's began (default 2025-07-01). */
  effectiveDate?: string;
  /** Refuse the whole file, writing nothing, when any code matches no unit. */
  strict?: boolean;
}

export interface UnitRef {
  code: string;
  name: string;
  /** Where the code is in the file. */
  where: string;
}

export interface SuccessionSummary {
  effectiveDate: string;
  /** Earlier units linked to today's map, by level (districts from their communes, see `load`). */
  predecessors: Record<UnitLevel, number>;
  /** Today's units they are linked to. */
  successors: number;
  links: { total: number; created: number; updated: number; unchanged: number; removed: number };
  /** Codes of the file that match no stored unit: earlier units (none ended that day), today's units. */
  unmatched: { earlier: UnitRef[]; today: UnitRef[] };
  /** Today's communes found by name in their province because the file's code is not today's. */
  matchedByName: (UnitRef & { matchedCode: string })[];
  /** Matched by code, but named otherwise in the file than in the database (spelling, or a wrong code). */
  namesDiffer: (UnitRef & { storedName: string })[];
}

type Link = { predecessorId: number; successorId: number; kind: 'merge' | 'split' };

const key = (level: UnitLevel, code: string) => `${level}:${code}`;
const provinceIdOf = (path: string) => Number(path.split('/')[1]);

/**
 * Records a reorganisation from a data file as successions (admin_unit_succession): which earlier units
 * formed each of today's, so that figures recorded on the earlier map count on today's map (the KPI "current"
 * view follows these links, see docs/kpi.md). The earlier units must have been imported as history, ending on
 * the effective date; today's units are the current ones.
 *
 * - A province and a commune are linked as the file says; an earlier unit that went into one unit is a
 *   `merge`, one that was divided among several a `split`.
 * - A district is linked to the province(s) its communes went into (districts were abolished, their
 *   communes merged; the file names districts only where one became a special zone).
 * - Loading is idempotent and atomic: one transaction; a second load changes nothing. The file is the truth
 *   for the earlier units it names: their links of that day not in the file are removed.
 */
@Injectable()
export class UnitSuccessionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: UnitWriter,
    private readonly importer: UnitImportService,
    private readonly reorg: UnitReorgService,
  ) {}

  async importText(text: string, options: SuccessionOptions = {}): Promise<SuccessionSummary> {
    const lines = parseSuccessionFileText(text);
    return this.dataSource.transaction((m) => this.load(m, lines, options));
  }

  async importFile(path: string, options: SuccessionOptions = {}): Promise<SuccessionSummary> {
    return this.importText(await readDataFile(path), options);
  }

  async importBundled(options: SuccessionOptions = {}): Promise<SuccessionSummary> {
    return this.importFile(join(projectRoot(), BUNDLED_SUCCESSIONS_FILE), options);
  }

  /** The bundled map before 1 July 2025 and the bundled reorganisation, in one transaction. */
  async importBundledHistory(): Promise<{ units: ImportSummary; successions: SuccessionSummary }> {
    const units = parseUnitFileText(await readDataFile(join(projectRoot(), BUNDLED_HISTORY_FILE)));
    const lines = parseSuccessionFileText(await readDataFile(join(projectRoot(), BUNDLED_SUCCESSIONS_FILE)));
    return this.dataSource.transaction(async (m) => ({
      units: await this.importer.importParsed(m, units, {}),
      successions: await this.load(m, lines, {}),
    }));
  }

  async load(
    m: EntityManager,
    lines: ParsedSuccession[],
    options: SuccessionOptions,
  ): Promise<SuccessionSummary> {
    const date = options.effectiveDate ?? TWO_LEVEL_SINCE;
    if (!isCalendarDate(date)) {
      throw UnitErrors.successionFileInvalid(
        [{ field: 'effectiveDate', reason: `${String(date)} không phải ngày hợp lệ (YYYY-MM-DD)` }],
        1,
      );
    }
    const summary: SuccessionSummary = {
      effectiveDate: date,
      predecessors: { province: 0, district: 0, commune: 0 },
      successors: 0,
      links: { total: 0, created: 0, updated: 0, unchanged: 0, removed: 0 },
      unmatched: { earlier: [], today: [] },
      matchedByName: [],
      namesDiffer: [],
    };
    const today = await this.todaysUnits(m, lines, date, summary);
    const earlier = new Map<string, UnitRecord>();
    for (const unit of await this.writer.endedOn(m, [...new Set(lines.map((l) => l.oldCode))], date)) {
      earlier.set(key(unit.level, unit.code), unit);
    }

    const successorsOf = new Map<number, Set<number>>();
    const units = new Map<number, UnitRecord>();
    const seen = new Set<string>();
    for (const line of lines) {
      const before = earlier.get(key(line.oldLevel, line.oldCode));
      const first = !seen.has(key(line.oldLevel, line.oldCode));
      seen.add(key(line.oldLevel, line.oldCode));
      if (!before) {
        if (first)
          summary.unmatched.earlier.push({ code: line.oldCode, name: line.oldName, where: line.where });
        continue;
      }
      if (first) this.compareNames(summary, line.oldCode, line.oldName, line.where, before);
      const after = today.get(key(line.newLevel, line.newCode));
      if (!after) continue;
      units.set(before.id, before).set(after.id, after);
      successorsOf.set(before.id, (successorsOf.get(before.id) ?? new Set()).add(after.id));
    }
    await this.districtLinks(m, successorsOf, units, date);

    if (options.strict && (summary.unmatched.earlier.length || summary.unmatched.today.length)) {
      const errors: FieldError[] = [
        ...summary.unmatched.earlier.map((u) => ({
          field: u.where,
          reason: `${u.name} (mã ${u.code}): không có đơn vị mã này kết thúc hiệu lực ngày ${date} (đã nhập danh mục cũ chưa?)`,
        })),
        ...summary.unmatched.today.map((u) => ({
          field: u.where,
          reason: `${u.name} (mã ${u.code}): không có đơn vị hiện hành mã này`,
        })),
      ];
      throw UnitErrors.successionsUnmatched(errors.slice(0, 100), errors.length);
    }

    const wanted: Link[] = [];
    for (const [predecessorId, successors] of successorsOf) {
      summary.predecessors[units.get(predecessorId)!.level]++;
      for (const successorId of successors) {
        wanted.push({ predecessorId, successorId, kind: successors.size > 1 ? 'split' : 'merge' });
      }
    }
    summary.successors = new Set(wanted.map((l) => l.successorId)).size;
    summary.links.total = wanted.length;
    const stored = new Map(
      (await this.writer.successionsFrom(m, [...successorsOf.keys()], date)).map((l) => [
        `${l.predecessorId}>${l.successorId}`,
        l,
      ]),
    );
    const writes = wanted.filter((link) => {
      const existing = stored.get(`${link.predecessorId}>${link.successorId}`);
      stored.delete(`${link.predecessorId}>${link.successorId}`);
      if (!existing) summary.links.created++;
      else if (existing.kind !== link.kind) summary.links.updated++;
      else summary.links.unchanged++;
      return !existing || existing.kind !== link.kind;
    });
    const removed = [...stored.values()];
    summary.links.removed = removed.length;
    if (writes.length || removed.length) {
      await this.writer.putSuccessions(m, writes, removed, date);
      // Today's map moved under the figures recorded on the earlier one.
      await this.reorg.reorganised(m);
    }
    return summary;
  }

  /**
   * Today's units the file names, by level and code. A commune whose code is not today's (codes were
   * corrected after the resolutions) is looked for by name in its province, and reported either way.
   */
  private async todaysUnits(
    m: EntityManager,
    lines: ParsedSuccession[],
    date: string,
    summary: SuccessionSummary,
  ): Promise<Map<string, UnitRecord>> {
    const codes = new Set(lines.flatMap((l) => [l.newCode, l.newProvinceCode]));
    const found = new Map<string, UnitRecord>();
    for (const unit of await this.writer.currentOn(m, [...codes], date))
      found.set(key(unit.level, unit.code), unit);
    const resolved = new Map<string, UnitRecord>();
    const seen = new Set<string>();
    for (const line of lines) {
      const wanted = key(line.newLevel, line.newCode);
      if (seen.has(wanted)) continue;
      seen.add(wanted);
      const ref = {
        code: line.newCode,
        name: line.newName,
        where: line.where.replace(/\.merges\[\d+\]$/, ''),
      };
      const byCode = found.get(wanted);
      if (byCode) {
        this.compareNames(summary, line.newCode, line.newName, ref.where, byCode);
        resolved.set(wanted, byCode);
        continue;
      }
      const province = found.get(key('province', line.newProvinceCode));
      const byName =
        line.newLevel === 'commune' && province
          ? await this.writer.currentByFoldedName(m, 'commune', province.path, foldVietnamese(line.newName))
          : [];
      if (byName.length === 1) {
        summary.matchedByName.push({ ...ref, matchedCode: byName[0].code });
        resolved.set(wanted, byName[0]);
      } else {
        summary.unmatched.today.push(ref);
      }
    }
    return resolved;
  }

  /**
   * Each earlier district whose communes are linked goes to the province(s) they went into, unless the file
   * links the district itself (an island district that became a special zone).
   */
  private async districtLinks(
    m: EntityManager,
    successorsOf: Map<number, Set<number>>,
    units: Map<number, UnitRecord>,
    date: string,
  ): Promise<void> {
    const provincesOf = new Map<number, Set<number>>();
    for (const [predecessorId, successors] of successorsOf) {
      const commune = units.get(predecessorId)!;
      if (commune.level !== 'commune' || commune.parentId === null) continue;
      const provinces = provincesOf.get(commune.parentId) ?? new Set<number>();
      for (const id of successors) provinces.add(provinceIdOf(units.get(id)!.path));
      provincesOf.set(commune.parentId, provinces);
    }
    const districts = (await this.writer.byIds(m, [...provincesOf.keys()])).filter(
      (d) => d.level === 'district' && d.validTo === date && !successorsOf.has(d.id),
    );
    const provinces = await this.writer.byIds(m, [
      ...new Set(districts.flatMap((d) => [...provincesOf.get(d.id)!])),
    ]);
    for (const province of provinces) units.set(province.id, province);
    for (const district of districts) {
      units.set(district.id, district);
      successorsOf.set(district.id, provincesOf.get(district.id)!);
    }
  }

  private compareNames(
    summary: SuccessionSummary,
    code: string,
    name: string,
    where: string,
    stored: UnitRecord,
  ): void {
    if (foldVietnamese(name) !== foldVietnamese(stored.fullName)) {
      summary.namesDiffer.push({ code, name, where, storedName: stored.fullName });
    }
  }
}
