import { SeededRandom } from './random';

/** Family names as common in Thái Nguyên (Kinh, Tày, Nùng, Dao …), with rough weights. */
const FAMILY: readonly (readonly [string, number])[] = [
  ['Nguyễn', 30],
  ['Trần', 10],
  ['Lê', 8],
  ['Phạm', 6],
  ['Hoàng', 7],
  ['Vũ', 4],
  ['Đặng', 3],
  ['Bùi', 3],
  ['Đỗ', 3],
  ['Ngô', 2],
  ['Dương', 3],
  ['Lý', 1],
  ['Nông', 4],
  ['Ma', 3],
  ['Triệu', 2],
  ['Lường', 1],
  ['Hà', 3],
  ['Lục', 1],
  ['Đinh', 2],
  ['Chu', 1],
  ['Lò', 1],
  ['Mã', 1],
  ['Lành', 1],
];
const MIDDLE = {
  male: ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Xuân', 'Tiến', 'Thanh', 'Công', 'Mạnh', 'Văn', 'Văn'],
  female: ['Thị', 'Thu', 'Thanh', 'Ngọc', 'Minh', 'Hồng', 'Phương', 'Kim', 'Thúy', 'Mai', 'Thị', 'Thị'],
};
const GIVEN = {
  male: [
    'An',
    'Bình',
    'Cường',
    'Dũng',
    'Duy',
    'Hải',
    'Hiếu',
    'Hùng',
    'Huy',
    'Khánh',
    'Khoa',
    'Lâm',
    'Long',
    'Minh',
    'Nam',
    'Nghĩa',
    'Phong',
    'Phúc',
    'Quân',
    'Sơn',
    'Tài',
    'Thành',
    'Thắng',
    'Thịnh',
    'Trung',
    'Tuấn',
    'Tùng',
    'Việt',
    'Vinh',
    'Thưởng',
    'Đạt',
    'Đông',
    'Kiên',
    'Lộc',
    'Quyết',
  ],
  female: [
    'Anh',
    'Ánh',
    'Bích',
    'Chi',
    'Dung',
    'Duyên',
    'Giang',
    'Hà',
    'Hạnh',
    'Hằng',
    'Hiền',
    'Hoa',
    'Hồng',
    'Hương',
    'Huyền',
    'Lan',
    'Liên',
    'Linh',
    'Loan',
    'Mai',
    'Nga',
    'Ngọc',
    'Nhung',
    'Oanh',
    'Phương',
    'Quỳnh',
    'Thảo',
    'Thu',
    'Trang',
    'Tuyết',
    'Vân',
    'Yến',
    'Ỷ',
    'Ánh Tuyết',
    'Thủy',
  ],
};

export const SEGMENT_WEIGHTS: readonly (readonly [string, number])[] = [
  ['farmer', 30],
  ['civil_servant', 10],
  ['youth', 12],
  ['student', 12],
  ['women', 10],
  ['business_owner', 6],
  ['worker', 10],
  ['elderly', 6],
  ['other', 4],
];

const BIRTH_YEARS: Record<string, [number, number]> = {
  student: [2005, 2012],
  youth: [1992, 2007],
  elderly: [1945, 1965],
};

const PHONE_PREFIXES = [
  '091',
  '094',
  '088',
  '098',
  '097',
  '096',
  '086',
  '032',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '039',
  '070',
  '079',
  '077',
  '076',
  '078',
  '083',
  '084',
  '085',
  '081',
  '082',
  '056',
  '058',
  '059',
];

export interface GeneratedPerson {
  fullName: string;
  gender: 'male' | 'female';
  birthYear: number;
  segment: string;
  cccd: string | null;
  phone: string | null;
}

/**
 * Realistic, valid learners: Vietnamese names by gender, birth years by segment, CCCDs whose province,
 * gender/century and year digits agree with the person (serials unique per generator), national phones.
 */
export class PeopleGenerator {
  private serial = 0;

  constructor(private readonly random: SeededRandom) {}

  next(): GeneratedPerson {
    const r = this.random;
    const gender = r.next() < 0.52 ? 'female' : 'male';
    const drawn = r.weighted(SEGMENT_WEIGHTS);
    const segment = gender === 'male' && drawn === 'women' ? 'farmer' : drawn;
    const [from, to] = BIRTH_YEARS[segment] ?? [1962, 2002];
    const birthYear = r.int(from, to);
    const fullName = `${r.weighted(FAMILY)} ${r.pick(MIDDLE[gender])} ${r.pick(GIVEN[gender])}`;
    const hasCccd = r.next() < 0.85;
    const hasPhone = birthYear < 2010 && r.next() < 0.8;
    return {
      fullName,
      gender,
      birthYear,
      segment,
      cccd: hasCccd ? this.cccd(gender, birthYear) : null,
      phone: hasPhone
        ? `+84${r.pick(PHONE_PREFIXES).slice(1)}${String(r.int(0, 9_999_999)).padStart(7, '0')}`
        : null,
    };
  }

  private cccd(gender: 'male' | 'female', birthYear: number): string {
    const province = this.random.next() < 0.8 ? '019' : '006';
    const century = Math.floor((birthYear - 1900) / 100) * 2 + (gender === 'female' ? 1 : 0);
    // 6 serial digits: unique across one generator's people (up to a million per province-year-gender).
    const tail = String(++this.serial % 1_000_000).padStart(6, '0');
    return `${province}${century}${String(birthYear % 100).padStart(2, '0')}${tail}`;
  }
}
