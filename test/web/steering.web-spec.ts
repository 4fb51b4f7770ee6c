import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { Http } from '../support/http';
import {
  ACCOUNTS,
  apiAs,
  axe,
  baseUrl,
  sharedBrowser,
  journey,
  newPage,
  openFromMenu,
  ready,
  signIn,
  vnNumber,
  webIt,
} from './support';

/**
 * The provincial steering committee's journey through the web app, on the demo campaign: every figure the
 * pages show is compared with what the API answers the same user, and every page is checked with axe.
 */
describe('a provincial steering member runs the campaign from the browser', () => {
  const b = sharedBrowser();
  let api: Http;
  let program: { id: string };

  beforeAll(async () => {
    if (process.env.LANTOA_WEB_SKIP) return;
    api = await apiAs(ACCOUNTS.province);
    program = (await api.get('/api/v1/programs')).body.items[0];
  });
  const kpi = async (unit: string, period = '2026') =>
    (await api.get(`/api/v1/programs/${program.id}/kpi?unit=${unit}&period=${period}&view=recorded`)).body;

  async function cardFigure(page: Page, code: string): Promise<number> {
    return vnNumber(await page.locator(`[aria-labelledby="ind-${code}"] .figure`).innerText());
  }

  async function expectAccessible(page: Page, where: string): Promise<void> {
    expect([where, await axe(page)]).toEqual([where, []]);
  }

  webIt(
    'reads the dashboard, drills down, sets and splits a target, reviews reports, exports, logs out',
    async () => {
      const { page, errors } = await newPage(b());
      await journey(page, 'steering', async () => {
        await signIn(page, ACCOUNTS.province);

        // The dashboard opens on the user's own province and this year, with the state in the URL.
        await ready(page);
        const url = new URL(page.url());
        expect(url.pathname).toBe('/tong-quan');
        expect(Object.fromEntries(url.searchParams)).toMatchObject({
          unit: '19',
          view: 'recorded',
          program: program.id,
        });
        const period = url.searchParams.get('period')!;
        const province = await kpi('19', period);
        for (const indicator of province.indicators) {
          expect([indicator.code, await cardFigure(page, indicator.code)]).toEqual([
            indicator.code,
            indicator.actual,
          ]);
        }
        await page.getByRole('heading', { name: 'Tổng quan chiến dịch', level: 1 }).waitFor();
        await expectAccessible(page, 'dashboard');

        // Down to a commune from the table of child units: its figures are the commune's own.
        const commune = province.byChild.find((c: any) => c.indicators.learners_reached.actual > 0);
        await page
          .getByLabel('Lọc theo tên đơn vị')
          .fill(commune.unit.fullName.split(' ').slice(1).join(' '));
        await page.getByRole('button', { name: commune.unit.fullName, exact: true }).click();
        await page.waitForURL((u) => u.searchParams.get('unit') === commune.unit.code);
        await ready(page);
        await page
          .getByRole('navigation', { name: 'Đơn vị đang xem' })
          .getByText(commune.unit.fullName)
          .waitFor();
        const ofCommune = await kpi(commune.unit.code, period);
        expect(await cardFigure(page, 'learners_reached')).toBe(
          ofCommune.indicators.find((i: any) => i.code === 'learners_reached').actual,
        );

        // The people behind the figure: the list's total is the figure, one row per distinct person.
        const learners = ofCommune.indicators.find((i: any) => i.code === 'learners_reached').actual;
        await page.getByRole('link', { name: /^Người học được tiếp cận: .* xem danh sách$/ }).click();
        await page.waitForURL((u) => u.pathname === '/tong-quan/so-lieu');
        await ready(page);
        await page.getByText(`${learners.toLocaleString('vi-VN')} người — đúng bằng số liệu`).waitFor();
        const drill = (
          await api.get(
            `/api/v1/programs/${program.id}/kpi/drilldown?unit=${commune.unit.code}&period=${period}&indicator=learners_reached&limit=50`,
          )
        ).body;
        expect(drill.total).toBe(learners);
        const names = await page.locator('table.data tbody th').allInnerTexts();
        expect(names).toEqual(drill.items.map((p: any) => p.fullName));
        await expectAccessible(page, 'drilldown');

        // A target the province had not set yet, then split among the communes by population after a preview.
        await page
          .getByRole('navigation', { name: 'Chức năng' })
          .getByRole('link', { name: 'Chỉ tiêu' })
          .click();
        await page.waitForURL((u) => u.pathname === '/chi-tieu');
        await page
          .getByRole('navigation', { name: 'Đơn vị đang xem' })
          .getByRole('button', { name: 'Tỉnh Thái Nguyên' })
          .click();
        await page.waitForURL((u) => u.searchParams.get('unit') === '19');
        await ready(page);
        await expectAccessible(page, 'targets');
        await page.getByRole('button', { name: 'Đặt chỉ tiêu mới' }).click();
        const dialog = page.getByRole('dialog', { name: 'Đặt chỉ tiêu' });
        await dialog
          .getByLabel('Chỉ tiêu', { exact: true })
          .selectOption({ label: 'Giấy chứng nhận đã cấp' });
        // A bad value is refused by the server and shown next to the field, in Vietnamese.
        await dialog.getByLabel('Giá trị').fill('-5');
        await dialog.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
        await dialog.locator('.field-error').getByText('phải lớn hơn hoặc bằng 0').waitFor();
        await expectAccessible(page, 'target form with an error');
        await dialog.getByLabel('Giá trị').fill('3000');
        await dialog.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
        await dialog.waitFor({ state: 'hidden' });
        await page
          .getByRole('button', { name: 'Chia cho đơn vị trực thuộc: Giấy chứng nhận đã cấp' })
          .click();
        const split = page.getByRole('dialog', { name: 'Chia chỉ tiêu cho đơn vị trực thuộc' });
        await split.getByRole('button', { name: 'Xem trước' }).click();
        const preview = split.getByRole('table');
        await preview.waitFor();
        const previewed = (await preview.locator('tbody tr td:last-child').allInnerTexts()).map(vnNumber);
        expect(previewed.reduce((sum, v) => sum + v, 0)).toBe(3000);
        await expectAccessible(page, 'split preview');
        await split.getByRole('button', { name: 'Lưu phân bổ' }).click();
        await split.waitFor({ state: 'hidden' });
        const targets = (await api.get(`/api/v1/programs/${program.id}/targets?unit=19&period=${period}`))
          .body;
        const shares = targets.filter(
          (t: any) => t.indicator === 'certificates_issued' && t.unit.code !== '19',
        );
        expect(shares).toHaveLength(previewed.length);
        expect(shares.reduce((sum: number, t: any) => sum + t.value, 0)).toBe(3000);

        // Trainers behind pace, as the API decides it.
        await openFromMenu(page, 'Giảng viên', '/giang-vien');
        await page.getByLabel('Chỉ những người chậm tiến độ').check();
        await page.waitForURL((u) => u.searchParams.get('behind') === '1');
        const behind = (
          await api.get(`/api/v1/programs/${program.id}/leaderboard?unit=19&behind=true&limit=50`)
        ).body;
        await page.getByText(`Đang xem ${behind.total.toLocaleString('vi-VN')} giảng viên`).waitFor();
        const shown = await page.locator('table.data tbody th').allInnerTexts();
        expect(shown.map((cell) => cell.split('\n')[0])).toEqual(
          behind.items.map((r: any) => r.trainer.person.fullName),
        );
        await expectAccessible(page, 'trainers behind pace');

        // Reports waiting for review: approve one, return the other with a comment (required, said so).
        await openFromMenu(page, 'Báo cáo tiến độ', '/bao-cao');
        // The inbox holds the reports waiting at the province's own level of their chain.
        const waiting = (await api.get(`/api/v1/reports?programId=${program.id}&unit=19&awaitingMe=true`))
          .body.items;
        expect(waiting.length).toBeGreaterThanOrEqual(2);
        await page.locator('ul.items > li').first().waitFor();
        expect(await page.locator('ul.items > li').count()).toBe(waiting.length);
        await expectAccessible(page, 'reports inbox');
        const [first, second] = waiting;
        const card = (r: any) => page.locator('ul.items > li', { has: page.locator(`#report-${r.id}`) });
        await card(first).getByRole('button', { name: 'Duyệt' }).click();
        await page
          .getByRole('dialog', { name: 'Duyệt báo cáo' })
          .getByRole('button', { name: 'Duyệt báo cáo' })
          .click();
        await card(first).waitFor({ state: 'detached' });
        await card(second).getByRole('button', { name: 'Trả lại' }).click();
        const back = page.getByRole('dialog', { name: 'Trả lại báo cáo' });
        await back.getByRole('button', { name: 'Trả lại báo cáo' }).click();
        await back.locator('.field-error').waitFor();
        expect(await back.getByLabel('Lý do trả lại').getAttribute('aria-invalid')).toBe('true');
        await back
          .getByLabel('Lý do trả lại')
          .fill('Số người thành thạo lớn hơn số đã tập huấn, đề nghị rà soát.');
        await back.getByRole('button', { name: 'Trả lại báo cáo' }).click();
        await card(second).waitFor({ state: 'detached' });
        expect((await api.get(`/api/v1/reports/${first.id}`)).body).toMatchObject({
          status: 'approved',
          locked: true,
        });
        expect((await api.get(`/api/v1/reports/${second.id}`)).body).toMatchObject({
          status: 'returned',
          reviewComment: 'Số người thành thạo lớn hơn số đã tập huấn, đề nghị rà soát.',
        });
        for (const tab of ['Chưa nộp', 'Quá hạn']) {
          await page.getByRole('tab', { name: tab }).click();
          await page.locator('table.data, .state-empty').first().waitFor();
          await expectAccessible(page, `reports: ${tab}`);
        }

        // An Excel export as a job: progress, download, and the file's totals are the dashboard's.
        await openFromMenu(page, 'Xuất báo cáo', '/xuat-bao-cao');
        // Other journeys run on the same service and may correct attendance meanwhile: the figure is read
        // just before the export and just after it, and the file must hold it (exactly, if it did not move).
        const reachedNow = async () =>
          (await kpi('19', period)).indicators.find((i: any) => i.code === 'learners_reached')
            .actual as number;
        const reachedBefore = await reachedNow();
        await page.getByRole('button', { name: 'Bắt đầu xuất' }).click();
        await page.getByRole('progressbar').waitFor();
        const download = page.waitForEvent('download');
        await page.getByRole('button', { name: 'Tải tệp về' }).click({ timeout: 60_000 });
        const file = await (await download).path();
        await expectAccessible(page, 'exports');
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
        // The summary is split into sheets by indicator group: the one with people reached.
        let learnersColumn = 0;
        const summary = workbook.worksheets.find((sheet) => {
          if (!sheet.name.startsWith('Tổng hợp (')) return false;
          sheet.getRow(10).eachCell((cell, col) => {
            if (!learnersColumn && cell.text.startsWith('Người học được tiếp cận')) learnersColumn = col;
          });
          return learnersColumn > 0;
        })!;
        let totals: ExcelJS.Row | undefined;
        summary.eachRow((row) => {
          if (row.getCell(2).text.startsWith('Tổng cộng')) totals = row;
        });
        const reachedAfter = await reachedNow();
        expect([reachedBefore, reachedAfter]).toContain(totals!.getCell(learnersColumn + 1).value);

        // Logging out ends the session: the app's pages ask to sign in again.
        await page.getByRole('button', { name: 'Đăng xuất' }).click();
        await page.waitForURL((u) => u.pathname === '/dang-nhap');
        await page.goto(`${baseUrl()}/tong-quan`);
        await page.waitForURL((u) => u.pathname === '/dang-nhap');
        expect(await page.evaluate('Object.keys(localStorage)')).toEqual([]);
        expect(errors).toEqual([]);
      });
    },
  );
});
