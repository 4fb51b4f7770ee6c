import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChildUnitsTable } from './ChildUnitsTable';

const figure = (actual: number, target: number | null = null) => ({
  actual,
  target,
  percentOfTarget: target ? Math.round((actual / target) * 1000) / 10 : null,
});

const child = (
  code: string,
  fullName: string,
  learners: number,
  target: number | null,
  validTo: string | null = null,
) => ({
  unit: { code, fullName, current: validTo === null, validTo },
  indicators: {
    learners_reached: figure(learners, target),
    completions: figure(Math.floor(learners / 2)),
    proficient_learners: figure(0),
    classes_held: figure(1),
    certificates_issued: figure(0),
    commune_core_trainers: figure(2),
  },
});

const CHILDREN = [
  child('05443', 'Xã Đồng Hỷ', 40, 20),
  child('05500', 'Xã Phú Bình', 90, 100),
  child('01840', 'Phường Đức Xuân', 10, 5),
  child('01111', 'Xã Cũ', 3, null, '2025-07-01'),
];

afterEach(cleanup);

function rowNames(): string[] {
  return within(screen.getByRole('table'))
    .getAllByRole('rowheader')
    .map((cell) => within(cell).getByRole('button').textContent ?? '');
}

describe('the table of child units', () => {
  it('sorts by Vietnamese name, then by any column, and says which way', async () => {
    render(<ChildUnitsTable children={CHILDREN} caption="Đơn vị" onOpen={() => undefined} />);
    // Vietnamese order: "Đ" after "D", not after "Z"; "Phường" before "Xã".
    expect(rowNames()).toEqual(['Phường Đức Xuân', 'Xã Cũ', 'Xã Đồng Hỷ', 'Xã Phú Bình']);
    const learners = screen.getByRole('columnheader', { name: /Người học/ });
    await userEvent.click(within(learners).getByRole('button'));
    expect(learners.getAttribute('aria-sort')).toBe('descending');
    expect(rowNames()).toEqual(['Xã Phú Bình', 'Xã Đồng Hỷ', 'Phường Đức Xuân', 'Xã Cũ']);
    await userEvent.click(within(learners).getByRole('button'));
    expect(learners.getAttribute('aria-sort')).toBe('ascending');
    expect(rowNames()[0]).toBe('Xã Cũ');
    await userEvent.click(
      within(screen.getByRole('columnheader', { name: /% chỉ tiêu/ })).getByRole('button'),
    );
    expect(rowNames().slice(0, 2)).toEqual(['Xã Đồng Hỷ', 'Phường Đức Xuân']);
  });

  it('filters without diacritics, marks ended units, and opens a unit', async () => {
    const onOpen = vi.fn();
    render(<ChildUnitsTable children={CHILDREN} caption="Đơn vị" onOpen={onOpen} />);
    await userEvent.type(screen.getByLabelText('Lọc theo tên đơn vị'), 'dong hy');
    expect(rowNames()).toEqual(['Xã Đồng Hỷ']);
    expect(screen.getByText('1/4 đơn vị')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Xã Đồng Hỷ' }));
    expect(onOpen).toHaveBeenCalledWith('05443', undefined);
    await userEvent.clear(screen.getByLabelText('Lọc theo tên đơn vị'));
    expect(within(screen.getByRole('row', { name: /Xã Cũ/ })).getByText(/đã sáp nhập/)).toBeTruthy();
    // An ended unit opens as it stood on its last day.
    await userEvent.click(screen.getByRole('button', { name: 'Xã Cũ' }));
    expect(onOpen).toHaveBeenLastCalledWith('01111', '2025-06-30');
    // A target shows next to the figure, with the % of it.
    const row = screen.getByRole('row', { name: /Xã Phú Bình/ });
    expect(within(row).getByText('/ 100')).toBeTruthy();
    // (The matcher folds the no-break space before % into a space.)
    expect(within(row).getByText('90 %')).toBeTruthy();
  });
});
