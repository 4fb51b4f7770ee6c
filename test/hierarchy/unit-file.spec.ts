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

  it('lists every problem with its place in the file', () => {
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
    expect(error.errors[1].reason).toContain('trùng');
  });

  it('rejects an empty list or a non-list', () => {
    expect(failure(() => parseUnitFile([])).code).toBe('UNIT_FILE_INVALID');
    expect(failure(() => parseUnitFile({ Code: '01' })).code).toBe('UNIT_FILE_INVALID');
  });
});
