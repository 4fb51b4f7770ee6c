import { nfc } from '../../platform/src';
import { FileProblems, parseJson } from './data-file';
import { UnitLevel } from './unit.entity';
import { UnitErrors } from './unit.errors';

/** One line of a reorganisation: an earlier unit whose territory went (wholly or partly) into a new one. */
export interface ParsedSuccession {
  oldCode: string;
  oldName: string;
  oldLevel: UnitLevel;
  newCode: string;
  newName: string;
  newLevel: 'province' | 'commune';
  /** The new unit's province (its own code for a province). */
  newProvinceCode: string;
  newProvinceName: string;
  /** Only part of the earlier unit went into this one (the rest into others). */
  partial: boolean;
  /** Where the line is in the file (`data[7].level2s[12].merges[0]`). */
  where: string;
}

const OLD_LEVEL_BY_DIGITS: Record<number, UnitLevel> = { 2: 'province', 3: 'district', 5: 'commune' };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class SuccessionReader extends FileProblems {
  readonly lines: ParsedSuccession[] = [];
  private readonly seen = new Map<string, string>();

  /** A code and name read from `node` (`level1_id` / `name` …), or null after reporting what is wrong. */
  unit(
    node: unknown,
    where: string,
    codeKey: string,
    pattern: RegExp,
    expected: string,
    context: string,
  ): { code: string; name: string } | null {
    if (!isObject(node)) {
      this.fail(where, `${context}: phần tử phải là một đối tượng`);
      return null;
    }
    const rawCode = node[codeKey];
    const rawName = node.name;
    const name = typeof rawName === 'string' && nfc(rawName) !== '' ? nfc(rawName).slice(0, 250) : null;
    const code = typeof rawCode === 'string' ? rawCode.trim() : null;
    const label = `${name ?? 'Đơn vị không có tên'} (${code ? `mã ${code}` : 'không có mã'})`;
    let ok = true;
    if (code === null || !pattern.test(code)) {
      this.fail(
        `${where}.${codeKey}`,
        `${label}, ${context}: ${codeKey} phải là ${expected}, không phải ${JSON.stringify(rawCode ?? null)}`,
      );
      ok = false;
    }
    if (name === null) {
      this.fail(`${where}.name`, `${label}, ${context}: name phải là tên đơn vị (chuỗi không rỗng)`);
      ok = false;
    }
    return ok ? { code: code!, name: name! } : null;
  }

  list(node: Json, key: string, where: string, label: string): unknown[] {
    const value = node[key];
    if (Array.isArray(value)) return value;
    this.fail(`${where}.${key}`, `${label}: ${key} phải là một danh sách`);
    return [];
  }

  merges(
    node: Json,
    where: string,
    into: { code: string; name: string; level: 'province' | 'commune' },
    province: { code: string; name: string },
    oldPattern: RegExp,
    expected: string,
  ): void {
    const label = `${into.name} (mã ${into.code})`;
    const list = this.list(node, 'merges', where, label);
    if (Array.isArray(node.merges) && !list.length) {
      this.fail(`${where}.merges`, `${label}: không có đơn vị nào trước sắp xếp`);
    }
    list.forEach((entry, k) => {
      const entryWhere = `${where}.merges[${k}]`;
      const old = this.unit(entry, entryWhere, 'old_id', oldPattern, expected, `nhập vào ${label}`);
      if (!old) return;
      const type = (entry as Json).type;
      if (type !== undefined && type !== 'full' && type !== 'partial') {
        this.fail(
          `${entryWhere}.type`,
          `${old.name} (mã ${old.code}), nhập vào ${label}: type phải là "full" hoặc "partial"`,
        );
        return;
      }
      const key = `${old.code}>${into.level}:${into.code}`;
      const first = this.seen.get(key);
      if (first) {
        this.fail(entryWhere, `${old.name} (mã ${old.code}) nhập vào ${label} đã có ở ${first}`);
        return;
      }
      this.seen.set(key, entryWhere);
      this.lines.push({
        oldCode: old.code,
        oldName: old.name,
        oldLevel: OLD_LEVEL_BY_DIGITS[old.code.length],
        newCode: into.code,
        newName: into.name,
        newLevel: into.level,
        newProvinceCode: province.code,
        newProvinceName: province.name,
        partial: type === 'partial',
        where: entryWhere,
      });
    });
  }
}

/**
 * Reads a reorganisation file: for each new province, the earlier provinces it was formed from, and for each
 * of its new communes, the earlier communes (or, for a special zone, the island district) it was formed from —
 * the shape of `mapping/merges.json` in the dvhcvn/20250701 project (see libs/hierarchy/data/reorganisation-2025):
 *
 *   { "data": [ { "level1_id": "15", "name": "Tỉnh Lào Cai",
 *                 "merges": [ { "old_id": "15", "name": "Tỉnh Yên Bái", "type": "full" } ],
 *                 "level2s": [ { "level2_id": "04729", "name": "Xã Mậu A",
 *                                "merges": [ { "old_id": "04729", "name": "Thị trấn Mậu A", "type": "full" } ] } ] } ] }
 *
 * Nothing is returned unless the whole file is valid; every error names the unit (code and name).
 */
export function parseSuccessionFile(content: unknown): ParsedSuccession[] {
  const reader = new SuccessionReader();
  const data = isObject(content) ? content.data : undefined;
  if (!Array.isArray(data) || data.length === 0) {
    reader.fail('data', 'tệp phải là { "data": [ … ] } với ít nhất một tỉnh, thành phố');
    throw UnitErrors.successionFileInvalid(reader.errors, reader.total);
  }
  data.forEach((node, i) => {
    const where = `data[${i}]`;
    const province = reader.unit(node, where, 'level1_id', /^\d{2}$/, 'mã tỉnh 2 chữ số', 'tỉnh mới');
    if (!province) return;
    const json = node as Json;
    const into = { ...province, level: 'province' as const };
    reader.merges(json, where, into, province, /^\d{2}$/, 'mã tỉnh 2 chữ số');
    reader.list(json, 'level2s', where, `${province.name} (mã ${province.code})`).forEach((commune, j) => {
      const communeWhere = `${where}.level2s[${j}]`;
      const context = `xã mới của ${province.name} (mã ${province.code})`;
      const unit = reader.unit(commune, communeWhere, 'level2_id', /^\d{5}$/, 'mã xã 5 chữ số', context);
      if (!unit) return;
      reader.merges(
        commune as Json,
        communeWhere,
        { ...unit, level: 'commune' },
        province,
        /^(\d{3}|\d{5})$/,
        'mã xã 5 chữ số (hoặc mã huyện 3 chữ số cho một đặc khu)',
      );
    });
  });
  if (reader.total > 0) throw UnitErrors.successionFileInvalid(reader.errors, reader.total);
  return reader.lines;
}

export function parseSuccessionFileText(text: string): ParsedSuccession[] {
  return parseSuccessionFile(parseJson(text, UnitErrors.successionFileInvalid));
}
