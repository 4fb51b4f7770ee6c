import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../../libs/platform/src';
import { parseUnitFile, parseUnitFileText } from '../../libs/hierarchy/src';

function failure(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('units file', () => {
  it('reads the real two-level list: 34 provinces and 3,321 communes, parents first', () => {
    const parsed = parseUnitFileText(
      readFileSync(join(__dirname, '../../libs/hierarchy/data/vn-admin-units-2026.json'), 'utf8'),
    );
    expect(parsed.shape).toBe('two-level');
    expect(parsed.units.filter((u) => u.level === 'province')).toHaveLength(34);
    expect(parsed.units.filter((u) => u.level === 'commune')).toHaveLength(3321);
    const dongHy = parsed.units.find((u) => u.fullName === 'Xã Đồng Hỷ');
    expect(dongHy).toMatchObject({ type: 'Xã', name: 'Đồng Hỷ', parentCode: '19' });
  });

  it('reads the real 2024 three-level list: 63 provinces, 696 districts, 10,035 communes', () => {
    const parsed = parseUnitFileText(
      readFileSync(join(__dirname, '../../libs/hierarchy/data/vn-admin-units-2024.json'), 'utf8'),
    );
    expect(parsed.shape).toBe('three-level');
    const count = (level: string) => parsed.units.filter((u) => u.level === level).length;
    expect([count('province'), count('district'), count('commune')]).toEqual([63, 696, 10035]);
    // The five island districts have no communes ("Ward": null): valid, and kept.
    const islands = ['318', '471', '498', '536', '755'];
    expect(parsed.units.filter((u) => islands.includes(u.code)).map((u) => u.fullName)).toEqual([
      'Huyện Bạch Long Vĩ',
      'Huyện Cồn Cỏ',
      'Huyện Hoàng Sa',
      'Huyện Lý Sơn',
      'Huyện Côn Đảo',
    ]);
    expect(parsed.units.filter((u) => u.parentCode !== null && islands.includes(u.parentCode))).toEqual([]);
    const vanYen = parsed.units.find((u) => u.code === '136');
    expect(vanYen).toMatchObject({ level: 'district', type: 'Huyện', name: 'Văn Yên', parentCode: '15' });
    expect(parsed.units.filter((u) => u.parentCode === '136')).toHaveLength(25);
    expect(parsed.units.find((u) => u.code === '04375')).toMatchObject({
      type: 'Thị trấn',
      name: 'Mậu A',
      parentCode: '136',
    });
  });

  it('accepts a unit without children, as null or as an empty list, but not a missing list', () => {
    const parsed = parseUnitFile([
      {
        Code: '31',
        FullName: 'Thành phố Hải Phòng',
        District: [
          { Code: '318', FullName: 'Huyện Bạch Long Vĩ', ProvinceCode: '31', Ward: null },
          { Code: '319', FullName: 'Huyện Thử', ProvinceCode: '31', Ward: [] },
        ],
      },
      { Code: '99', FullName: 'Tỉnh Trống', District: null },
    ]);
    expect(parsed.units.map((u) => u.code)).toEqual(['31', '318', '319', '99']);
    const error = failure(() =>
      parseUnitFile([
        {
          Code: '31',
          FullName: 'Thành phố Hải Phòng',
          District: [{ Code: '318', FullName: 'Huyện Bạch Long Vĩ', ProvinceCode: '31', Wards: [] }],
        },
      ]),
    );
    expect(error.errors).toEqual([
      {
        field: '[0].District[0].Ward',
        reason: expect.stringContaining('Huyện Bạch Long Vĩ (mã 318): Ward phải là một danh sách'),
      },
    ]);
  });

  it('reads the older three-level shape, deriving type and name from the full name', () => {
    const parsed = parseUnitFileText(
      readFileSync(join(__dirname, '../fixtures/units-three-level.json'), 'utf8'),
    );
    expect(parsed.shape).toBe('three-level');
    expect(parsed.units.map((u) => [u.code, u.level, u.type, u.name, u.parentCode])).toEqual([
      ['01', 'province', 'Thành phố', 'Hà Nội', null],
      ['001', 'district', 'Quận', 'Ba Đình', '01'],
      ['00001', 'commune', 'Phường', 'Phúc Xá', '001'],
      ['00004', 'commune', 'Phường', 'Trúc Bạch', '001'],
      ['00006', 'commune', 'Phường', 'Vĩnh Phúc', '001'],
      ['018', 'district', 'Huyện', 'Gia Lâm', '01'],
      ['00526', 'commune', 'Thị trấn', 'Yên Viên', '018'],
      ['00529', 'commune', 'Xã', 'Yên Thường', '018'],
      ['06', 'province', 'Tỉnh', 'Bắc Kạn', null],
      ['058', 'district', 'Thành phố', 'Bắc Kạn', '06'],
      ['01834', 'commune', 'Phường', 'Nguyễn Thị Minh Khai', '058'],
    ]);
  });

  it('rejects a file that is not JSON', () => {
    const error = failure(() => parseUnitFileText('[{"Code": "01",'));
    expect(error.code).toBe('UNIT_FILE_INVALID');
    expect(error.errors[0].field).toBe('$');
  });

  it('lists every problem with its place in the file and the unit it concerns (code and name)', () => {
    const error = failure(() =>
      parseUnitFile([
        { Code: '1', FullName: 'Tỉnh Một', Wards: [] },
        {
          Code: '02',
          FullName: 'Tỉnh Hai',
          Wards: [
            { Code: '00001', FullName: 'Xã A', ProvinceCode: '02' },
            { Code: '00001', FullName: 'Xã B', ProvinceCode: '02' },
            { Code: '00003', ProvinceCode: '02' },
            { Code: '00004', FullName: 'Xã D', ProvinceCode: '03' },
            { Code: '123', FullName: 'Xã E' },
          ],
        },
        { Code: '03', FullName: 'Tỉnh Ba' },
      ]),
    );
    expect(error.errors.map((e) => e.field)).toEqual([
      '[0].Code',
      '[1].Wards[1].Code',
      '[1].Wards[2].FullName',
      '[1].Wards[3].ProvinceCode',
      '[1].Wards[4].Code',
      '[2].Wards',
    ]);
    expect(error.details.errorCount).toBe(6);
    expect(error.errors.map((e) => e.reason)).toEqual([
      'Tỉnh Một (mã 1): mã 1 không hợp lệ: cấp này dùng mã 2 chữ số',
      'Xã B (mã 00001): mã 00001 bị trùng với Xã A ở [1].Wards[0]',
      'Đơn vị không có tên (mã 00003): FullName là bắt buộc',
      'Xã D (mã 00004): ProvinceCode là "03" nhưng đơn vị nằm trong Tỉnh Hai (mã 02)',
      'Xã E (mã 123): mã 123 không hợp lệ: cấp này dùng mã 5 chữ số',
      'Tỉnh Ba (mã 03): Wards phải là một danh sách (null hoặc [] khi không có đơn vị trực thuộc)',
    ]);
  });

  it('names a unit without a code by its name and the unit it belongs to', () => {
    const error = failure(() =>
      parseUnitFile([
        {
          Code: '15',
          FullName: 'Tỉnh Yên Bái',
          District: [{ Code: '136', FullName: 'Huyện Văn Yên', Ward: [{ FullName: 'Xã Mậu Đông' }, 7] }],
        },
      ]),
    );
    expect(error.errors).toEqual([
      {
        field: '[0].District[0].Ward[0].Code',
        reason: 'Xã Mậu Đông (không có mã), thuộc Huyện Văn Yên (mã 136): Code là bắt buộc',
      },
      {
        field: '[0].District[0].Ward[1]',
        reason: 'Phần tử trong Huyện Văn Yên (mã 136) phải là một đối tượng (đơn vị hành chính)',
      },
    ]);
  });

  it('rejects an empty list or a non-list', () => {
    expect(failure(() => parseUnitFile([])).code).toBe('UNIT_FILE_INVALID');
    expect(failure(() => parseUnitFile({ Code: '01' })).code).toBe('UNIT_FILE_INVALID');
  });
});
