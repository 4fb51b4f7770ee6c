import { foldVietnamese, nfc, personNameSortKey, vietnameseSortKey } from './vietnamese';

describe('Vietnamese text', () => {
  it('folds diacritics, đ and case for search', () => {
    expect(foldVietnamese('Xã Đồng Hỷ')).toBe('xa dong hy');
    expect(foldVietnamese('Tỉnh Thái Nguyên')).toBe('tinh thai nguyen');
    expect(foldVietnamese('  ĐẶC KHU   Phú Quốc ')).toBe('dac khu phu quoc');
  });

  it('stores names in NFC', () => {
    const decomposed = 'Nguyê\u0303n';
    expect(decomposed).not.toBe('Nguyễn');
    expect(nfc(decomposed)).toBe('Nguyễn');
  });

  it('sorts in Vietnamese alphabetical order, not by code point', () => {
    const words = ['Đức', 'Dũng', 'Zô', 'Ánh', 'Ân', 'Ăn', 'Bình', 'An', 'Ơn', 'Ôn', 'On', 'Ưng', 'Uy'];
    const sorted = [...words].sort((x, y) => (vietnameseSortKey(x) < vietnameseSortKey(y) ? -1 : 1));
    expect(sorted).toEqual([
      'An',
      'Ánh',
      'Ăn',
      'Ân',
      'Bình',
      'Dũng',
      'Đức',
      'On',
      'Ôn',
      'Ơn',
      'Uy',
      'Ưng',
      'Zô',
    ]);
  });

  it('orders tones after the base letter: ngang, huyền, sắc, hỏi, ngã, nặng', () => {
    const words = ['mạ', 'má', 'mà', 'mã', 'ma', 'mả'];
    const sorted = [...words].sort((x, y) => (vietnameseSortKey(x) < vietnameseSortKey(y) ? -1 : 1));
    expect(sorted).toEqual(['ma', 'mà', 'má', 'mả', 'mã', 'mạ']);
  });

  it('sorts people by given name, then family and middle names', () => {
    const names = [
      'Nguyễn Thị Bình',
      'Trần Văn An',
      'Bùi Thị Ánh',
      'Lê Đức Anh',
      'Hoàng Văn An',
      'Phạm Thị Ánh',
    ];
    const sorted = [...names].sort((x, y) => (personNameSortKey(x) < personNameSortKey(y) ? -1 : 1));
    expect(sorted).toEqual([
      'Hoàng Văn An',
      'Trần Văn An',
      'Lê Đức Anh',
      'Bùi Thị Ánh',
      'Phạm Thị Ánh',
      'Nguyễn Thị Bình',
    ]);
  });
});
