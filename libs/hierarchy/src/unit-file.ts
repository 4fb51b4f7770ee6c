import { foldVietnamese, nfc } from '../../platform/src';
import { FileProblems, parseJson } from './data-file';
import { UnitLevel } from './unit.entity';
import { UnitErrors } from './unit.errors';

/** One unit read from a units file, parents always before their children. */
export interface ParsedUnit {
  code: string;
  level: UnitLevel;
  type: string;
  name: string;
  fullName: string;
  parentCode: string | null;
  /** Where the unit is in the file (`[12].District[3]`), for errors found after parsing. */
  where: string;
}

export interface ParsedUnitFile {
  shape: 'two-level' | 'three-level';
  units: ParsedUnit[];
}

const CODE_FORMAT: Record<UnitLevel, RegExp> = {
  province: /^\d{2}$/,
  district: /^\d{3}$/,
  commune: /^\d{5}$/,
};

/** Unit types by level, longest first so "Thành phố" wins over a shorter prefix. */
const TYPES: Record<UnitLevel, string[]> = {
  province: ['Thành phố', 'Tỉnh'],
  district: ['Thành phố', 'Thị xã', 'Huyện', 'Quận'],
  commune: ['Thị trấn', 'Đặc khu', 'Phường', 'Xã'],
};

type Json = Record<string, unknown>;

/** How errors name a unit: its full name and code as the file gives them ("Huyện Văn Yên (mã 136)"). */
function describe(json: Json, parent: ParsedUnit | null): string {
  const given = (key: string): string | null => {
    const value = json[key];
    return typeof value === 'string' && nfc(value) !== '' ? nfc(value).slice(0, 100) : null;
  };
  const code = given('Code');
  const own = `${given('FullName') ?? given('Name') ?? 'Đơn vị không có tên'} (${code ? `mã ${code}` : 'không có mã'})`;
  return parent && !code ? `${own}, thuộc ${parent.fullName} (mã ${parent.code})` : own;
}

class FileReader extends FileProblems {
  readonly units: ParsedUnit[] = [];
  private readonly seen = new Map<string, string>();

  text(
    node: Json,
    key: string,
    where: string,
    label: string,
    required: boolean,
    max: number,
  ): string | undefined {
    const value = node[key];
    if (value === undefined || value === null) {
      if (required) this.fail(`${where}.${key}`, `${label}: ${key} là bắt buộc`);
      return undefined;
    }
    if (typeof value !== 'string' || nfc(value) === '') {
      this.fail(`${where}.${key}`, `${label}: ${key} phải là chuỗi ký tự không rỗng`);
      return undefined;
    }
    if (nfc(value).length > max) {
      this.fail(`${where}.${key}`, `${label}: ${key} dài tối đa ${max} ký tự`);
      return undefined;
    }
    return nfc(value);
  }

  unit(node: unknown, where: string, level: UnitLevel, parent: ParsedUnit | null): ParsedUnit | null {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      const within = parent ? ` trong ${parent.fullName} (mã ${parent.code})` : '';
      this.fail(where, `Phần tử${within} phải là một đối tượng (đơn vị hành chính)`);
      return null;
    }
    const json = node as Json;
    const label = describe(json, parent);
    const code = this.text(json, 'Code', where, label, true, 10);
    const fullName = this.text(json, 'FullName', where, label, true, 250);
    const givenType = this.text(json, 'AdministrativeUnitShortName', where, label, false, 20);
    const givenName = this.text(json, 'Name', where, label, false, 200);
    if (code !== undefined && !CODE_FORMAT[level].test(code)) {
      const digits = { province: 2, district: 3, commune: 5 }[level];
      this.fail(`${where}.Code`, `${label}: mã ${code} không hợp lệ: cấp này dùng mã ${digits} chữ số`);
    }
    const parentKey =
      level === 'commune' ? (parent?.level === 'district' ? 'DistrictCode' : 'ProvinceCode') : 'ProvinceCode';
    const declaredParent = json[parentKey];
    if (parent && level !== 'province' && declaredParent !== undefined && declaredParent !== parent.code) {
      this.fail(
        `${where}.${parentKey}`,
        `${label}: ${parentKey} là ${JSON.stringify(declaredParent)} nhưng đơn vị nằm trong ${parent.fullName} (mã ${parent.code})`,
      );
    }
    if (code === undefined || fullName === undefined || !CODE_FORMAT[level].test(code)) return null;
    const first = this.seen.get(code);
    if (first !== undefined) {
      this.fail(`${where}.Code`, `${label}: mã ${code} bị trùng với ${first}`);
      return null;
    }
    this.seen.set(code, `${fullName} ở ${where}`);
    const prefix = TYPES[level].find((t) => foldVietnamese(fullName).startsWith(foldVietnamese(t) + ' '));
    const type = givenType ?? prefix;
    if (type === undefined) {
      this.fail(
        `${where}.AdministrativeUnitShortName`,
        `${label}: không xác định được loại đơn vị (Tỉnh, Xã, Phường …)`,
      );
      return null;
    }
    const name = givenName ?? (prefix ? fullName.slice(prefix.length).trim() : fullName);
    const unit: ParsedUnit = { code, level, type, name, fullName, parentCode: parent?.code ?? null, where };
    this.units.push(unit);
    return unit;
  }

  /**
   * The units under `node`. A unit without any (an island district in the 2024 list has `"Ward": null`) is
   * valid data: `null` and `[]` both mean none. A missing key is not, since it is how a misspelt one looks.
   */
  children(node: unknown, key: string, where: string, parent: ParsedUnit | null): unknown[] {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return [];
    const json = node as Json;
    const list = json[key];
    if (list === null) return [];
    if (!Array.isArray(list)) {
      this.fail(
        `${where}.${key}`,
        `${describe(json, parent)}: ${key} phải là một danh sách (null hoặc [] khi không có đơn vị trực thuộc)`,
      );
      return [];
    }
    return list;
  }
}

/**
 * Reads a units file in either shape: the current two-level list (provinces with `Wards`) or the older
 * three-level one (provinces → `District` → `Ward`). Nothing is returned unless the whole file is valid.
 */
export function parseUnitFile(content: unknown): ParsedUnitFile {
  const reader = new FileReader();
  if (!Array.isArray(content) || content.length === 0) {
    reader.fail('$', 'phải là một danh sách tỉnh, thành phố không rỗng');
    throw UnitErrors.fileInvalid(reader.errors, reader.total);
  }
  const threeLevel = content.some((p) => typeof p === 'object' && p !== null && 'District' in p);
  content.forEach((node, i) => {
    const where = `[${i}]`;
    const province = reader.unit(node, where, 'province', null);
    if (threeLevel) {
      reader.children(node, 'District', where, null).forEach((districtNode, j) => {
        const districtWhere = `${where}.District[${j}]`;
        const district = reader.unit(districtNode, districtWhere, 'district', province);
        reader.children(districtNode, 'Ward', districtWhere, province).forEach((ward, k) => {
          if (district) reader.unit(ward, `${districtWhere}.Ward[${k}]`, 'commune', district);
        });
      });
    } else {
      reader.children(node, 'Wards', where, null).forEach((ward, k) => {
        if (province) reader.unit(ward, `${where}.Wards[${k}]`, 'commune', province);
      });
    }
  });
  if (reader.total > 0) throw UnitErrors.fileInvalid(reader.errors, reader.total);
  return { shape: threeLevel ? 'three-level' : 'two-level', units: reader.units };
}

export function parseUnitFileText(text: string): ParsedUnitFile {
  return parseUnitFile(parseJson(text, UnitErrors.fileInvalid));
}
