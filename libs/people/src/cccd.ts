import { Gender } from './person.entity';

/**
 * Province codes of birth registration used in the first three digits of a CCCD: the 63 provinces as they
 * were when the numbering was set (Circular 07/2016/TT-BCA), which people born anywhere keep for life.
 */
export const CCCD_PROVINCE_CODES = new Set([
  '001',
  '002',
  '004',
  '006',
  '008',
  '010',
  '011',
  '012',
  '014',
  '015',
  '017',
  '019',
  '020',
  '022',
  '024',
  '025',
  '026',
  '027',
  '030',
  '031',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '040',
  '042',
  '044',
  '045',
  '046',
  '048',
  '049',
  '051',
  '052',
  '054',
  '056',
  '058',
  '060',
  '062',
  '064',
  '066',
  '067',
  '068',
  '070',
  '072',
  '074',
  '075',
  '077',
  '079',
  '080',
  '082',
  '083',
  '084',
  '086',
  '087',
  '089',
  '091',
  '092',
  '093',
  '094',
  '095',
  '096',
]);

/** The fourth digit: gender and century of birth (0/1 male/female 1900s, 2/3 2000s, 4/5 2100s, …, 8/9 1800s). */
const CENTURY_BASE: Record<number, number> = { 0: 1900, 1: 2000, 2: 2100, 3: 2200, 4: 1800 };

export interface CccdFacts {
  provinceCode: string;
  gender: 'male' | 'female';
  birthYear: number;
}

/** What a CCCD number itself says, or the reason it cannot be one. */
export function readCccd(cccd: string): CccdFacts | string {
  if (!/^\d{12}$/.test(cccd)) return 'phải gồm đúng 12 chữ số';
  const provinceCode = cccd.slice(0, 3);
  if (!CCCD_PROVINCE_CODES.has(provinceCode))
    return `3 chữ số đầu (${provinceCode}) không phải mã tỉnh nơi đăng ký khai sinh`;
  const marker = Number(cccd[3]);
  const base = CENTURY_BASE[Math.floor(marker / 2)];
  return {
    provinceCode,
    gender: marker % 2 === 0 ? 'male' : 'female',
    birthYear: base + Number(cccd.slice(4, 6)),
  };
}

/** Checks a CCCD against the person's gender and birth year; returns the reason it does not fit, or null. */
export function cccdProblem(cccd: string, person: { gender: Gender; birthYear: number }): string | null {
  const facts = readCccd(cccd);
  if (typeof facts === 'string') return facts;
  if (person.gender !== 'other' && facts.gender !== person.gender) {
    return `chữ số thứ 4 cho biết giới tính ${facts.gender === 'male' ? 'nam' : 'nữ'}, không khớp với giới tính đã khai`;
  }
  if (facts.birthYear !== person.birthYear) {
    return `chữ số thứ 4 đến 6 cho biết năm sinh ${facts.birthYear}, không khớp với năm sinh ${person.birthYear}`;
  }
  return null;
}
