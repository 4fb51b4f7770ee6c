import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src';
import {
  buildTemplate,
  FieldError,
  foldVietnamese,
  ImportErrors,
  nfc,
  readTable,
  TableColumn,
  uploadedBuffer,
} from '../../platform/src';
import { ParsedUnit } from './unit-file';
import { TWO_LEVEL_SINCE, UnitImportService } from './unit-import.service';
import { UnitLevel } from './unit.entity';
import { UnitRepository } from './unit.repository';

const COLUMNS: TableColumn[] = [
  { key: 'code', header: 'Mã đơn vị', kind: 'text', required: true, width: 12 },
  { key: 'fullName', header: 'Tên đầy đủ', kind: 'text', required: true, width: 36 },
  { key: 'parentCode', header: 'Mã tỉnh, thành phố', kind: 'text', width: 18 },
];

/** Today's map has two levels: a province's code has 2 digits, a commune's 5 (no districts since 2025). */
const LEVEL_OF_CODE: Record<number, UnitLevel> = { 2: 'province', 5: 'commune' };
/** Unit types by level, longest first, read from the start of the full name ("Xã Đồng Hỷ" → Xã). */
const TYPES: Record<'province' | 'commune', string[]> = {
  province: ['Thành phố', 'Tỉnh'],
  commune: ['Thị trấn', 'Đặc khu', 'Phường', 'Xã'],
};

export interface UnitExcelImportResult {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** Rolls a dry run's transaction back once its summary is known. */
class DryRunDone extends Error {
  constructor(readonly result: UnitExcelImportResult) {
    super('dry run');
  }
}

/**
 * Today's administrative units from Excel, for administrators: a row adds a unit (a new commune under a
 * province in the file or already stored) or corrects the name of one. Every row is checked first and its
 * problems named by row number; a dry run reports what would change; a commit writes everything or nothing,
 * through the same import as the bundled list. Moving a unit to another province is refused here: re-parenting
 * keeps history and shows how figures move, on the units screen.
 */
@Injectable()
export class UnitExcelImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly importer: UnitImportService,
    private readonly audit: AuditService,
    private readonly units: UnitRepository,
  ) {}

  /** The template, pre-filled with a province and its communes when `provinceCode` is given (for corrections). */
  async template(provinceCode?: string): Promise<Buffer> {
    const rows = provinceCode ? await this.units.provinceWithCommunes(provinceCode) : [];
    return buildTemplate({
      sheetName: 'Đơn vị hành chính',
      title: 'DANH MỤC ĐƠN VỊ HÀNH CHÍNH',
      subtitle:
        'Mỗi đơn vị một dòng; mã tỉnh, thành phố 2 chữ số, mã xã, phường 5 chữ số; tên đầy đủ bắt đầu bằng loại đơn vị (Tỉnh, Thành phố, Xã, Phường, Đặc khu).',
      columns: COLUMNS,
      rows: rows.map((r) => ({ ...r, parentCode: r.parentCode ?? null })),
      blankRows: rows.length ? undefined : 200,
    });
  }

  async import(file: { buffer?: Buffer } | undefined, dryRun: boolean): Promise<UnitExcelImportResult> {
    const errors: FieldError[] = [];
    const rows = await readTable(uploadedBuffer(file), COLUMNS, { maxRows: 20_000, errors });
    const codes = [
      ...new Set(rows.flatMap((r) => [r.values.code, r.values.parentCode]).filter((c) => c !== null)),
    ].map(String);
    const current = await this.units.currentNamesByCodes(codes);
    const stored = new Map(current.map((u) => [`${u.level}:${u.code}`, u]));
    const fail = (row: number, field: string, reason: string) => errors.push({ row, field, reason });
    const firstRow = new Map<string, number>();
    const provincesInFile = new Set<string>();
    const units: ParsedUnit[] = [];
    for (const { row, values } of rows) {
      const code = values.code === null ? null : String(values.code).trim();
      const fullName = values.fullName === null ? null : nfc(String(values.fullName)).replace(/\s+/g, ' ');
      const parentCode = values.parentCode === null ? null : String(values.parentCode).trim();
      if (code === null || fullName === null) continue;
      const level = /^\d+$/.test(code) ? LEVEL_OF_CODE[code.length] : undefined;
      if (!level) {
        fail(row, 'Mã đơn vị', `${code}: mã tỉnh, thành phố có 2 chữ số, mã xã, phường có 5 chữ số`);
        continue;
      }
      if (firstRow.has(code)) {
        fail(row, 'Mã đơn vị', `${code} trùng với dòng ${firstRow.get(code)}`);
        continue;
      }
      firstRow.set(code, row);
      const type = TYPES[level as 'province' | 'commune'].find((t) =>
        foldVietnamese(fullName).startsWith(foldVietnamese(t) + ' '),
      );
      if (!type) {
        fail(
          row,
          'Tên đầy đủ',
          `phải bắt đầu bằng loại đơn vị: ${TYPES[level as 'province' | 'commune'].join(', ')}`,
        );
      }
      if (level === 'province' && parentCode !== null) {
        fail(row, 'Mã tỉnh, thành phố', 'tỉnh, thành phố không có đơn vị cấp trên: để trống');
      }
      if (level === 'province') provincesInFile.add(code);
      if (level === 'commune') {
        if (parentCode === null) fail(row, 'Mã tỉnh, thành phố', 'là bắt buộc với xã, phường');
        else if (!provincesInFile.has(parentCode) && !stored.has(`province:${parentCode}`)) {
          fail(
            row,
            'Mã tỉnh, thành phố',
            `không có tỉnh, thành phố hiện hành mã ${parentCode} (trong tệp, ở dòng trên, hoặc đã có)`,
          );
        }
      }
      const current = stored.get(`${level}:${code}`);
      if (current && current.parentCode !== parentCode && level === 'commune') {
        fail(
          row,
          'Mã tỉnh, thành phố',
          `${current.fullName} đang thuộc tỉnh, thành phố mã ${current.parentCode}; chuyển đơn vị sang nơi khác dùng chức năng "Chuyển đơn vị cấp trên" ở trang Đơn vị hành chính`,
        );
      }
      if (!type) continue;
      const name = fullName.slice(type.length).trim();
      units.push({ code, level, type, name, fullName, parentCode, where: `dòng ${row}` });
    }
    if (errors.length) {
      errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
      throw ImportErrors.rows(errors.slice(0, 200), errors.length);
    }
    // The stored provinces the file's communes join come first, as they are (the import places children
    // under parents it has read).
    const parents = [...new Set(units.map((u) => u.parentCode))]
      .filter((c): c is string => c !== null && !provincesInFile.has(c))
      .map((c): ParsedUnit => ({ ...stored.get(`province:${c}`)!, where: 'đã có' }));
    const provinces = units.filter((u) => u.level === 'province');
    const communes = units.filter((u) => u.level === 'commune');
    const apply = async (m: EntityManager): Promise<UnitExcelImportResult> => {
      const summary = await this.importer.importParsed(
        m,
        { shape: 'two-level', units: [...parents, ...provinces, ...communes] },
        { validFrom: TWO_LEVEL_SINCE },
      );
      const result = {
        dryRun,
        rows: rows.length,
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged - parents.length,
      };
      if (dryRun) throw new DryRunDone(result);
      await this.audit.record(
        { action: 'units.imported', entityType: 'admin_unit', after: result, scopePaths: [] },
        m,
      );
      return result;
    };
    try {
      return await this.dataSource.transaction(apply);
    } catch (error) {
      if (error instanceof DryRunDone) return error.result;
      throw error;
    }
  }
}
