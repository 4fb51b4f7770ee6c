import {
  ACCOUNTS,
  apiAs,
  axe,
  baseUrl,
  sharedBrowser,
  DESKTOP,
  journey,
  newPage,
  openFromMenu,
  PHONE,
  ready,
  screenshot,
  signIn,
  vnNumber,
  webIt,
} from './support';

/**
 * A province's contest from the browser: created (a bad period refused next to its field), entries added
 * from the people and classes of the province, scored by criteria (points over the maximum refused),
 * results published — the ranks shown are the API's, and the entries count on the dashboard. Held in the
 * program's last quarter (2027-Q2), so the other journeys' 2026 figures do not move.
 */
describe('a contest of the province, from creation to its published results', () => {
  const b = sharedBrowser();

  webIt('creates a contest, adds entries, scores them, publishes and reads the results', async () => {
    const { page, errors } = await newPage(b());
    await journey(page, 'contests', async () => {
      const api = await apiAs(ACCOUNTS.province);
      const program = (await api.get('/api/v1/programs')).body.items[0];
      await signIn(page, ACCOUNTS.province);
      await ready(page);
      await openFromMenu(page, 'Hội thi', '/hoi-thi');
      await page.getByRole('heading', { name: 'Hội thi', level: 1 }).waitFor();

      // Created with the keyboard; a period the API does not read is refused next to its field.
      const name = `Hội thi tổng kết "Bình dân học AI" ${Date.now()}`;
      await page.getByRole('button', { name: 'Tạo hội thi' }).focus();
      await page.keyboard.press('Enter');
      const create = page.getByRole('dialog', { name: 'Tạo hội thi' });
      await page.keyboard.type(name);
      await create.getByLabel('Kỳ tổ chức').fill('quý 2 năm 2027');
      await create.getByLabel('Tiêu chí 1', { exact: true }).fill('Tính ứng dụng thực tế');
      await create.getByLabel('Trọng số tiêu chí 1').fill('60');
      await create.getByRole('button', { name: 'Thêm tiêu chí' }).click();
      await create.getByLabel('Tiêu chí 2', { exact: true }).fill('Trình bày');
      await create.getByLabel('Trọng số tiêu chí 2').fill('40');
      await create.getByLabel('Điểm tối đa tiêu chí 2').fill('5');
      await create.getByRole('button', { name: 'Tạo hội thi' }).click();
      await create.locator('.field-error', { hasText: 'phải có dạng 2026' }).waitFor();
      expect(await create.getByLabel('Kỳ tổ chức').getAttribute('aria-invalid')).toBe('true');
      expect([await axe(page)]).toEqual([[]]);
      await create.getByLabel('Kỳ tổ chức').fill('2027-Q2');
      await create.getByRole('button', { name: 'Tạo hội thi' }).click();
      await page.getByRole('heading', { name: new RegExp(name) }).waitFor();
      const id = new URL(page.url()).searchParams.get('contest')!;
      await ready(page);

      // Two entries: a learner and a class of the province.
      for (const kind of ['Cá nhân (người học)', 'Lớp học']) {
        await page.getByRole('button', { name: 'Thêm bài dự thi' }).click();
        const add = page.getByRole('dialog', { name: 'Thêm bài dự thi' });
        await add.getByLabel('Dự thi với tư cách').selectOption({ label: kind });
        const subject = add.getByLabel('Người, lớp hoặc cơ quan dự thi');
        await subject.locator('option:not([value=""])').first().waitFor({ state: 'attached' });
        const value = await subject.locator('option:not([value=""])').first().getAttribute('value');
        await subject.selectOption(value);
        await add.getByRole('button', { name: 'Thêm bài dự thi' }).click();
        await add.waitFor({ state: 'hidden' });
      }
      let contest = (await api.get(`/api/v1/contests/${id}`)).body;
      expect(contest.entries.map((e: any) => e.kind).sort()).toEqual(['class', 'person']);

      // Scores: 11 out of 10 is refused on its field; then each entry is scored.
      const given: Record<string, [string, string]> = {
        [contest.entries[0].name]: ['9', '4,5'],
        [contest.entries[1].name]: ['7', '5'],
      };
      for (const [entry, [first, second]] of Object.entries(given)) {
        await page.getByRole('button', { name: `Chấm điểm ${entry}` }).click();
        const dialog = page.getByRole('dialog', { name: 'Chấm điểm' });
        const practical = dialog.getByLabel(/^Tính ứng dụng thực tế/);
        await practical.fill('11');
        await dialog.getByLabel(/^Trình bày/).fill(second);
        await dialog.getByRole('button', { name: 'Lưu điểm' }).click();
        await dialog.locator('.field-error', { hasText: 'tối đa 10 điểm' }).waitFor();
        await practical.fill(first);
        await dialog.getByRole('button', { name: 'Lưu điểm' }).click();
        await dialog.waitFor({ state: 'hidden' });
      }
      // 9/10 and 4.5/5 → 90; 7/10 and 5/5 → 82.
      contest = (await api.get(`/api/v1/contests/${id}`)).body;
      expect(contest.entries.map((e: any) => e.total)).toEqual([90, 82]);
      await page.locator('td', { hasText: '90' }).first().waitFor();
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'contests-scoring');

      await page.getByRole('button', { name: 'Công bố kết quả' }).click();
      await page
        .getByRole('dialog', { name: 'Công bố kết quả' })
        .getByRole('button', { name: 'Công bố' })
        .click();
      await page.getByText('Đã công bố kết quả').waitFor();
      contest = (await api.get(`/api/v1/contests/${id}`)).body;
      expect(contest.status).toBe('published');
      const rows = (await page.locator('section table.data tbody tr').allInnerTexts()).map((row) =>
        row.split('\t').map((cell) => cell.trim()),
      );
      expect(rows.map((r) => [Number(r[0]), r[1].replace(/\s*Đạt giải$/, ''), vnNumber(r[5])])).toEqual(
        contest.entries.map((e: any) => [e.rank, e.name, e.total]),
      );
      expect(rows.every((r) => r[1].includes('Đạt giải'))).toBe(true);
      expect(await axe(page)).toEqual([]);
      await page.setViewportSize(DESKTOP);
      await screenshot(page, 'contests');
      await page.setViewportSize(PHONE);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'contests-phone');
      await page.setViewportSize(DESKTOP);

      // The entries count on the dashboard of the contest's quarter.
      await page.goto(`${baseUrl()}/tong-quan?program=${program.id}&unit=19&period=2027-Q2`);
      await ready(page);
      const kpi = (await api.get(`/api/v1/programs/${program.id}/kpi?unit=19&period=2027-Q2&view=recorded`))
        .body;
      const entries = kpi.indicators.find((i: any) => i.code === 'contest_entries').actual;
      expect(entries).toBeGreaterThanOrEqual(2);
      expect(
        vnNumber(await page.locator('[aria-labelledby="ind-contest_entries"] .figure').innerText()),
      ).toBe(entries);
      expect(errors).toEqual([]);
    });
  });
});
