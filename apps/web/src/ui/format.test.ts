import { describe, expect, it } from 'vitest';
import {
  formatDateTime,
  formatDay,
  formatMonth,
  formatNumber,
  formatPercent,
  formatPeriod,
  periodYear,
  vietnamToday,
} from './format';

describe('Vietnamese formatting', () => {
  it('groups thousands with dots', () => {
    expect(formatNumber(2_003_300)).toBe('2.003.300');
    expect(formatNumber(0)).toBe('0');
  });

  it('writes percentages with one decimal below 10 % and whole numbers above', () => {
    expect(formatPercent(7.25)).toBe('7,3\u00a0%');
    expect(formatPercent(0)).toBe('0,0\u00a0%');
    expect(formatPercent(302.4)).toBe('302\u00a0%');
    expect(formatPercent(108.7)).toBe('109\u00a0%');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(Infinity)).toBe('—');
    // Of a zero target there is no percentage.
    expect(formatPercent(null, 0)).toBe('Không có chỉ tiêu');
    expect(formatPercent(null, null)).toBe('—');
    expect(formatPercent(50, 8)).toBe('50\u00a0%');
  });

  it("cuts days and months in Vietnam's time zone", () => {
    // 17:30 UTC on 31 May is already 1 June in Hà Nội.
    expect(formatDateTime('2026-05-31T17:30:00Z')).toBe('01/06/2026 00:30');
    expect(vietnamToday(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
    expect(formatDay('2026-05-03')).toBe('03/05/2026');
  });

  it('names months and periods as people say them', () => {
    expect(formatMonth('2026-05')).toBe('Tháng 5/2026');
    expect(formatMonth('2026-11', true)).toBe('T11');
    expect(formatPeriod('2026')).toBe('Năm 2026');
    expect(formatPeriod('2026-Q3')).toBe('Quý III/2026');
    expect(formatPeriod('2026-02')).toBe('Tháng 2/2026');
  });

  it('names spans, cumulative periods and phases', () => {
    expect(formatPeriod('2028..2030')).toBe('Từ năm 2028 đến năm 2030');
    expect(formatPeriod('2025-03-01..2025-04-24')).toBe('Từ 01/03/2025 đến 24/04/2025');
    expect(formatPeriod('..2030')).toBe('Lũy kế đến hết năm 2030');
    expect(formatPeriod('..2027-Q2')).toBe('Lũy kế đến hết quý II/2027');
    expect(formatPeriod('..2026-05-20')).toBe('Lũy kế đến ngày 20/05/2026');
    expect(formatPeriod('P3')).toBe('Giai đoạn 3');
    expect(periodYear('..2030', '2026')).toBe('2030');
    expect(periodYear('P2', '2026')).toBe('2026');
  });
});
