import { FieldError, foldVietnamese, nfc } from '../../platform/src';
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

const MAX_ERRORS = 100;

type Json = Record<string, unknown>;

class FileReader {
  readonly errors: FieldError[] = [];
  total = 0;
  readonly units: ParsedUnit[] = [];
  private readonly seen = new Map<string, string>();

  fail(field: string, reason: string): void {
    this.total++;
    if (this.errors.length < MAX_ERRORS) this.errors.push({ field, reason });
  }

  text(node: Json, key: string, where: string, required: boolean, max: number): string | undefined {
    const value = node[key];
    if (value === undefined || value === null) {
      if (required) this.fail(`${where}.${key}`, 'là bắt buộc');
      return undefined;
    }
    if (typeof value !== 'string' || nfc(value) === '') {
      this.fail(`${where}.${key}`, 'phải là chuỗi ký tự không rỗng');
      return undefined;
    }
    if (nfc(value).length > max) {
      this.fail(`${where}.${key}`, `dài tối đa ${max} ký tự`);
      return undefined;
    }
    return nfc(value);
  }

  unit(node: unknown, where: string, level: UnitLevel, parent: ParsedUnit | null): ParsedUnit | null {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      this.fail(where, 'phải là một đối tượng');
      return null;
    }
    const json = node as Json;
    const code = this.text(json, 'Code', where, true, 10);
    const fullName = this.text(json, 'FullName', where, true, 250);
    const givenType = this.text(json, 'AdministrativeUnitShortName', where, false, 20);
    const givenName = this.text(json, 'Name', where, false, 200);
    if (code !== undefined && !CODE_FORMAT[level].test(code)) {
      const digits = { province: 2, district: 3, commune: 5 }[level];
      this.fail(`${where}.Code`, `mã ${code} không hợp lệ: cấp này dùng mã ${digits} chữ số`);
    }
    const parentKey =
      level === 'commune' ? (parent?.level === 'district' ? 'DistrictCode' : 'ProvinceCode') : 'ProvinceCode';
    const declaredParent = json[parentKey];
    if (parent && level !== 'province' && declaredParent !== undefined && declaredParent !== parent.code) {
      this.fail(
        `${where}.${parentKey}`,
        `là ${JSON.stringify(declaredParent)} nhưng đơn vị nằm trong ${parent.code}`,
      );
    }
    if (code === undefined || fullName === undefined || !CODE_FORMAT[level].test(code)) return null;
    if (this.seen.has(code)) {
      this.fail(`${where}.Code`, `mã ${code} bị trùng với ${this.seen.get(code)}`);
      return null;
    }
    this.seen.set(code, where);
    const prefix = TYPES[level].find((t) => foldVietnamese(fullName).startsWith(foldVietnamese(t) + ' '));
    const type = givenType ?? prefix;
    if (type === undefined) {
      this.fail(
        `${where}.AdministrativeUnitShortName`,
        'không xác định được loại đơn vị (Tỉnh, Xã, Phường …)',
      );
      return null;
    }
    const name = givenName ?? (prefix ? fullName.slice(prefix.length).trim() : fullName);
    const unit: ParsedUnit = { code, level, type, name, fullName, parentCode: parent?.code ?? null };
    this.units.push(unit);
    return unit;
  }

  children(node: unknown, key: string, where: string): unknown[] {
    const list = (node as Json | null)?.[key];
    if (!Array.isArray(list)) {
      this.fail(`${where}.${key}`, 'phải là một danh sách');
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
      reader.children(node, 'District', where).forEach((districtNode, j) => {
        const districtWhere = `${where}.District[${j}]`;
        const district = reader.unit(districtNode, districtWhere, 'district', province);
        reader.children(districtNode, 'Ward', districtWhere).forEach((ward, k) => {
          if (district) reader.unit(ward, `${districtWhere}.Ward[${k}]`, 'commune', district);
        });
      });
    } else {
      reader.children(node, 'Wards', where).forEach((ward, k) => {
        if (province) reader.unit(ward, `${where}.Wards[${k}]`, 'commune', province);
      });
    }
  });
  if (reader.total > 0) throw UnitErrors.fileInvalid(reader.errors, reader.total);
  return { shape: threeLevel ? 'three-level' : 'two-level', units: reader.units };
}

export function parseUnitFileText(text: string): ParsedUnitFile {
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    throw UnitErrors.fileInvalid(
      [{ field: '$', reason: `không phải JSON hợp lệ: ${(error as Error).message}` }],
      1,
    );
  }
  return parseUnitFile(content);
}
