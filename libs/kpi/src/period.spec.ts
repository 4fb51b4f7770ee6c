import { DomainError } from '../../platform/src';
import { monthlyWindow, parsePeriod, periodSlug, reportPeriods } from './period';

const program = {
  startsOn: '2025-03-01',
  phases: [
    { name: 'Chuẩn bị', startsOn: '2025-03-01', endsOn: '2025-03-31' },
    { name: 'Triển khai đại trà', startsOn: '2025-04-15', endsOn: '2025-06-08' },
  ],
};

function reason(code: string, context?: typeof program): string {
  try {
    parsePeriod(code, context);
  } catch (error) {
    if (error instanceof DomainError) return error.errors[0].reason;
    throw error;
  }
  throw new Error(`${code} was accepted`);
}

describe('periods', () => {
  it('reads years, quarters and months as before', () => {
    expect(parsePeriod('2026-Q2')).toMatchObject({
      kind: 'quarter',
      from: '2026-04-01',
      to: '2026-07-01',
      months: ['2026-04', '2026-05', '2026-06'],
      label: 'quý II năm 2026',
      year: 2026,
    });
    expect(parsePeriod('2026-12')).toMatchObject({ from: '2026-12-01', to: '2027-01-01', year: 2026 });
  });

  it('reads spans of years, quarters, months and days', () => {
    expect(parsePeriod('2028..2030')).toMatchObject({
      kind: 'span',
      from: '2028-01-01',
      to: '2031-01-01',
      year: 2030,
      label: 'từ năm 2028 đến năm 2030',
    });
    expect(parsePeriod('2028..2030').months).toHaveLength(36);
    expect(parsePeriod('2026-Q3..2027-Q2')).toMatchObject({ from: '2026-07-01', to: '2027-07-01' });
    expect(parsePeriod('2025-04-15..2025-06-08')).toMatchObject({
      from: '2025-04-15',
      to: '2025-06-09',
      months: ['2025-04', '2025-05', '2025-06'],
      label: 'từ ngày 15/04/2025 đến ngày 08/06/2025',
    });
    // A leap day exists in 2028, not in 2027.
    expect(parsePeriod('2028-02-29..2028-02-29')).toMatchObject({ from: '2028-02-29', to: '2028-03-01' });
    expect(reason('2027-02-29..2027-03-01')).toBe('không có ngày 2027-02-29');
    expect(reason('2030..2028')).toBe('ngày bắt đầu phải trước ngày kết thúc');
  });

  it('reads cumulative spans and phases from the program', () => {
    expect(parsePeriod('..2027', program)).toMatchObject({
      kind: 'cumulative',
      from: '2025-03-01',
      to: '2028-01-01',
      label: 'lũy kế đến hết năm 2027',
    });
    expect(parsePeriod('..2025-06-08', program)).toMatchObject({
      to: '2025-06-09',
      label: 'lũy kế đến ngày 08/06/2025',
    });
    expect(parsePeriod('P2', program)).toMatchObject({
      kind: 'phase',
      from: '2025-04-15',
      to: '2025-06-09',
      label: 'giai đoạn 2: Triển khai đại trà (15/04/2025 – 08/06/2025)',
    });
    expect(reason('P3', program)).toBe('chương trình không có giai đoạn 3');
    expect(reason('..2024', program)).toBe('kỳ lũy kế kết thúc trước khi chương trình bắt đầu');
    expect(reason('..2027')).toBe('kỳ lũy kế chỉ dùng được trong một chương trình');
    expect(reason('2026-Q5')).toMatch(/^phải có dạng 2026/);
    expect(periodSlug('..2030')).toBe('luy-ke-2030');
    expect(periodSlug('2028..2030')).toBe('2028-den-2030');
  });

  it('splits a period into whole months and the day ranges at its edges', () => {
    expect(monthlyWindow(parsePeriod('2026'))).toEqual({
      monthsFrom: '2026-01-01',
      monthsTo: '2027-01-01',
      edges: [],
    });
    expect(monthlyWindow(parsePeriod('2025-04-15..2025-06-08'))).toEqual({
      monthsFrom: '2025-05-01',
      monthsTo: '2025-06-01',
      edges: [
        ['2025-04-15', '2025-05-01'],
        ['2025-06-01', '2025-06-09'],
      ],
    });
    // Within one month: no whole month, one edge.
    expect(monthlyWindow(parsePeriod('2026-05-10..2026-05-20'))).toEqual({
      monthsFrom: '2026-05-10',
      monthsTo: '2026-05-10',
      edges: [['2026-05-10', '2026-05-21']],
    });
    // From the first of a month to the end of the next: whole months only.
    expect(monthlyWindow(parsePeriod('2026-05-01..2026-06-30')).edges).toEqual([]);
  });

  it('lists the report periods wholly inside a period, latest-ending and longest first', () => {
    expect(reportPeriods(parsePeriod('2026-Q2'))).toEqual(['2026-Q2', '2026-06', '2026-05', '2026-04']);
    const span = reportPeriods(parsePeriod('2026-05-15..2026-07-31'));
    expect(span).toEqual(['2026-07', '2026-06']);
    const years = reportPeriods(parsePeriod('2025..2026'));
    expect(years.slice(0, 3)).toEqual(['2026', '2026-Q4', '2026-12']);
    expect(years).toHaveLength(2 * (1 + 4 + 12));
  });
});
