import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import {
  ACCOUNTS,
  apiAs,
  axe,
  expectAccessible,
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
import { serviceState } from './service';

/** The password the first journey gives the administrator, for the journeys after it. */
const ADMIN_PASSWORD = 'Quan-tri-moi-2026';

/**
 * The administrator's journeys. They run in this order in one file: the first changes the generated password
 * of the administrator the service created, the others sign in with the new one.
 */
describe('administration screens', () => {
  const b = sharedBrowser();
  let login: string;
  let generated: string;

  beforeAll(async () => {
    if (process.env.LANTOA_WEB_SKIP) return;
    [login, generated] = readFileSync(join(serviceState().dataDir, 'admin-password.txt'), 'utf8')
      .trim()
      .split('\n');
  });
  webIt('makes the first administrator change the generated password before anything else', async () => {
    const { page, errors } = await newPage(b());
    await journey(page, 'admin-password', async () => {
      await signIn(page, login, generated);
      await page.waitForURL((u) => u.pathname === '/doi-mat-khau');
      await page.getByText('Mật khẩu của bạn do hệ thống tạo ra').waitFor();
      expect(await axe(page)).toEqual([]);
      // Other pages wait until the password is changed.
      await page.goto(`${baseUrl()}/tong-quan`);
      await page.waitForURL((u) => u.pathname === '/doi-mat-khau');
      await page.getByLabel('Mật khẩu hiện tại').fill('khong-dung-mat-khau');
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill(ADMIN_PASSWORD);
      await page.getByLabel('Nhập lại mật khẩu mới').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await page.locator('.field-error').getByText('không đúng').waitFor();
      await page.getByLabel('Mật khẩu hiện tại').fill(generated);
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await page.waitForURL((u) => u.pathname === '/tong-quan');
      await ready(page);
      expect((await apiAs(login, ADMIN_PASSWORD)).token).toEqual(expect.any(String));
      expect(errors).toEqual([]);
    });
  });

  webIt(
    'merges two communes after seeing the preview; the dashboard then shows both views with consistent totals',
    async () => {
      const { page, errors, context } = await newPage(b());
      await journey(page, 'merge-communes', async () => {
        const api = await apiAs(login, ADMIN_PASSWORD);
        const program = (await api.get('/api/v1/programs')).body.items[0];
        const period = `..${program.endsOn.slice(0, 4)}`;
        const kpi = async (view: string) =>
          (await api.get(`/api/v1/programs/${program.id}/kpi?unit=19&period=${period}&view=${view}`)).body;
        // Two communes with learners, away from the communes of the demo accounts other journeys use.
        const used = new Set<string>();
        for (const account of Object.values(ACCOUNTS)) {
          const me = (await (await apiAs(account)).get('/api/v1/auth/me')).body;
          for (const a of me.assignments) if (a.unit) used.add(a.unit.code);
          for (const a of me.assignments) if (a.organisation?.unit) used.add(a.organisation.unit.code);
        }
        const before = await kpi('current');
        const [a, c] = before.byChild
          .filter((x: any) => x.unit.current && !used.has(x.unit.code))
          .filter((x: any) => x.indicators.learners_reached.actual > 0)
          .sort((x: any, y: any) => x.unit.code.localeCompare(y.unit.code));
        const learners = (x: any) => x.indicators.learners_reached.actual as number;

        await signIn(page, login, ADMIN_PASSWORD);
        await ready(page);
        await openFromMenu(page, 'Đơn vị hành chính', '/quan-tri/don-vi-hanh-chinh');
        await expectAccessible(page, 'units');
        await page.getByRole('button', { name: 'Tỉnh Thái Nguyên', exact: true }).click();
        await page.waitForURL((u) => u.searchParams.get('cha') === '19');
        await page.getByRole('checkbox', { name: `Chọn ${a.unit.fullName}` }).waitFor();
        await screenshot(page, 'units-1280');
        for (const x of [a, c]) await page.getByRole('checkbox', { name: `Chọn ${x.unit.fullName}` }).check();
        await page.getByRole('button', { name: 'Sáp nhập 2 đơn vị' }).click();
        const form = page.getByRole('region', { name: 'Sáp nhập đơn vị' });

        // A new unit without its names: refused, said next to each field, nothing previewed.
        await form.getByLabel('Thành lập đơn vị mới').check();
        await form.getByRole('button', { name: 'Xem trước số liệu' }).click();
        await form.locator('.field-error').first().waitFor();
        expect(await form.locator('.field-invalid').count()).toBeGreaterThanOrEqual(3);
        expect(await form.locator('.field-error').allInnerTexts()).toEqual(
          expect.arrayContaining([expect.stringMatching(/bắt buộc|phải/)]),
        );
        expect(await form.getByRole('button', { name: 'Xác nhận sáp nhập' }).count()).toBe(0);
        await expectAccessible(page, 'merge refused');

        // Into the first commune: the preview shows the figures moving, the province's staying.
        await form.getByLabel('Giữ một đơn vị đang có').check();
        await form.getByLabel('Đơn vị nhận sáp nhập').selectOption(a.unit.code);
        await form.getByRole('button', { name: 'Xem trước số liệu' }).click();
        const preview = page.getByRole('region', { name: 'Xem trước số liệu' });
        await preview.waitFor();
        const cell = async (unit: string, view: string, figure: string, column: 1 | 2) =>
          vnNumber(
            await preview
              .locator(`table[data-unit="${unit}"] tbody[data-view="${view}"] tr[data-figure="${figure}"] td`)
              .nth(column - 1)
              .innerText(),
          );
        // "After" cells read "12 (+3)": the figure comes first.
        const after = async (unit: string, view: string, figure = 'learnersReached') =>
          vnNumber(
            (
              await preview
                .locator(
                  `table[data-unit="${unit}"] tbody[data-view="${view}"] tr[data-figure="${figure}"] td`,
                )
                .nth(1)
                .innerText()
            ).split('(')[0],
          );
        expect(await cell(a.unit.code, 'current', 'learnersReached', 1)).toBe(learners(a));
        expect(await after(a.unit.code, 'current')).toBe(learners(a) + learners(c));
        expect(await after(c.unit.code, 'current')).toBe(0);
        // Other journeys keep reaching people in the province meanwhile: its figures are compared within the
        // preview, which reads them at one moment.
        expect(await after('19', 'current')).toBe(await cell('19', 'current', 'learnersReached', 1));
        expect(await after('19', 'recorded')).toBe(await cell('19', 'recorded', 'learnersReached', 1));
        // As recorded, each commune keeps what was recorded there.
        const recordedC = await cell(c.unit.code, 'recorded', 'learnersReached', 1);
        expect(await after(c.unit.code, 'recorded')).toBe(recordedC);
        await expectAccessible(page, 'merge preview');
        await screenshot(page, 'units-merge-preview-1280');
        await page.setViewportSize(PHONE);
        await expectAccessible(page, 'merge preview 360');
        await screenshot(page, 'units-merge-preview-360');
        await page.setViewportSize(DESKTOP);

        // Nothing was written by the preview.
        expect((await api.get(`/api/v1/units/${c.unit.code}`)).body.validTo).toBeNull();

        await form.getByRole('button', { name: 'Xác nhận sáp nhập' }).click();
        // The embedded database has one connection: the page's next reads wait for the KPI rebuild the merge
        // queued, which takes its time on a shared machine.
        const done = page.getByRole('status').filter({ hasText: 'Đã sáp nhập' });
        await done.waitFor({ timeout: 90_000 });
        expect(await done.innerText()).toContain(`thành ${a.unit.fullName}.`);
        expect(await page.getByRole('checkbox', { name: `Chọn ${c.unit.fullName}` }).count()).toBe(0);
        // The figures follow once the KPI rebuild the merge queued has run.
        for (let i = 0; i < 120; i++) {
          const row = (await kpi('current')).byChild.find((x: any) => x.unit.code === a.unit.code);
          if (learners(row) === learners(a) + learners(c)) break;
          await new Promise((r) => setTimeout(r, 500));
        }

        // The dashboard, cumulative.
        await openFromMenu(page, 'Tổng quan', '/tong-quan');
        await page.getByLabel('Kỳ báo cáo').selectOption(period);
        await page.waitForURL((u) => u.searchParams.get('period') === period);
        await ready(page);
        const card = async () =>
          vnNumber(await page.locator('[aria-labelledby="ind-learners_reached"] .figure').innerText());
        const row = (name: string) =>
          page.locator('table.data tbody tr', { has: page.getByRole('button', { name, exact: true }) });
        const rowLearners = async (name: string) =>
          vnNumber((await row(name).locator('td').first().innerText()).split('/')[0]);
        const view = async (label: string, value: string) => {
          await page.getByRole('radio', { name: label }).check();
          await page.waitForURL((u) => u.searchParams.get('view') === value);
          await ready(page);
          await page.locator('table.data tbody tr').first().waitFor();
        };
        // The province's total is the same on both maps: compared on reads between which it did not move
        // (other journeys keep reaching people), each from a fresh load of the page.
        const total = async (value: string) => {
          const url = new URL(page.url());
          url.searchParams.set('view', value);
          await page.goto(url.toString());
          await ready(page);
          return card();
        };
        let totals = [await total('recorded'), await total('current'), await total('recorded')];
        for (let i = 0; i < 4 && totals[0] !== totals[2]; i++)
          totals = [totals[2], await total('current'), await total('recorded')];
        expect(totals[1]).toBe(totals[0]);
        expect(totals[0]).toBe(totals[2]);
        await view('Lúc ghi nhận', 'recorded');
        // As recorded: the merged commune is listed, marked, with what was recorded there.
        expect(await rowLearners(c.unit.fullName)).toBe(recordedC);
        await row(c.unit.fullName).getByText('đã sáp nhập / chia tách').waitFor();
        await expectAccessible(page, 'dashboard as recorded after merge');
        await view('Hiện nay', 'current');
        // On today's map: one commune with both communes' learners.
        expect(await rowLearners(a.unit.fullName)).toBe(learners(a) + learners(c));
        expect(await row(c.unit.fullName).count()).toBe(0);
        await expectAccessible(page, "dashboard on today's map after merge");
        await screenshot(page, 'dashboard-after-merge-1280');
      });
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  webIt(
    "keeps population figures of a unit and year within the steering member's scope, refusals next to the field",
    async () => {
      const { page, errors, context } = await newPage(b());
      await journey(page, 'population', async () => {
        const api = await apiAs(ACCOUNTS.province);
        const [kind] = (await api.get('/api/v1/population-figures')).body;
        await signIn(page, ACCOUNTS.province);
        await ready(page);
        await openFromMenu(page, 'Số liệu dân số', '/quan-tri/dan-so');
        // A commune of the province and a year no other journey reads.
        await page.getByRole('button', { name: 'Chọn đơn vị khác' }).click();
        const picker = page.getByRole('dialog', { name: 'Chọn đơn vị' });
        await picker.getByLabel('Tìm theo tên (không cần gõ dấu)').fill('ba be');
        await picker.getByRole('button', { name: /^Xã Ba Bể/ }).click();
        await page.waitForURL(
          (u) => u.searchParams.get('unit') !== null && u.searchParams.get('unit') !== '19',
        );
        const unit = new URL(page.url()).searchParams.get('unit')!;
        await page.getByLabel('Năm', { exact: true }).selectOption('2030');
        await page.waitForURL((u) => u.searchParams.get('year') === '2030');
        await ready(page);
        await expectAccessible(page, 'population');

        const field = page.getByLabel(kind.name, { exact: true });
        await field.fill('-5');
        await page.getByRole('button', { name: 'Lưu số liệu năm 2030' }).click();
        await page.locator('.field-invalid .field-error').getByText('phải là số nguyên không âm').waitFor();
        expect(await field.getAttribute('aria-invalid')).toBe('true');
        await expectAccessible(page, 'population refused');
        await field.fill('12.345');
        await page.getByRole('button', { name: 'Lưu số liệu năm 2030' }).click();
        await page.getByRole('status').getByText('Đã lưu số liệu dân số năm 2030.').waitFor();
        const saved = (await api.get(`/api/v1/units/${unit}/population?year=2030`)).body;
        expect(saved.figures[kind.code]).toBe(12345);

        // An import that is not the template: refused at the dry run, nothing written.
        await page.getByLabel('Tệp Excel đã điền').setInputFiles({
          name: 'dan-so.xlsx',
          mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          buffer: Buffer.from('không phải tệp Excel'),
        });
        await page.getByRole('button', { name: 'Kiểm tra và xem trước' }).click();
        await page.getByRole('alert').locator('.form-error').waitFor();
        expect(await page.getByRole('button', { name: 'Ghi số liệu' }).count()).toBe(0);
        await expectAccessible(page, 'population import refused');
        await screenshot(page, 'population-1280');
        await page.setViewportSize(PHONE);
        await expectAccessible(page, 'population 360');
        await screenshot(page, 'population-360');
      });
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  webIt(
    'lists and adds organisations within the scope, refusals in Vietnamese next to the fields',
    async () => {
      const { page, errors, context } = await newPage(b());
      await journey(page, 'organisations', async () => {
        const api = await apiAs(ACCOUNTS.province);
        const commune = (await api.get('/api/v1/units/search?q=ba%20be&level=commune&within=19')).body
          .items[0];
        const name = `Đoàn Thanh niên ${commune.fullName} ${Date.now() % 100000}`;
        await signIn(page, ACCOUNTS.province);
        await ready(page);
        await openFromMenu(page, 'Cơ quan, đơn vị', '/quan-tri/co-quan');
        await expectAccessible(page, 'organisations');
        const total = (await api.get('/api/v1/organisations?limit=1')).body.total;
        await page
          .getByText(`${total.toLocaleString('vi-VN')} cơ quan, đơn vị trong phạm vi của bạn.`)
          .waitFor();

        await page.getByRole('button', { name: 'Thêm cơ quan, đơn vị' }).click();
        const dialog = page.getByRole('dialog', { name: 'Thêm cơ quan, đơn vị' });
        // Another province's commune: refused next to the field.
        await dialog.getByLabel('Mã đơn vị hành chính').fill('00004');
        await dialog.getByLabel('Tên cơ quan, đơn vị').fill('x');
        await dialog.getByRole('button', { name: 'Thêm cơ quan, đơn vị' }).click();
        await dialog.locator('.field-error, .form-error').first().waitFor();
        expect(await dialog.locator('.field-invalid').count()).toBeGreaterThanOrEqual(1);
        await expectAccessible(page, 'organisation refused');
        await dialog.getByLabel('Mã đơn vị hành chính').fill(commune.code);
        await dialog.getByLabel('Tên cơ quan, đơn vị').fill(name);
        await dialog.getByLabel('Loại').selectOption('mass_organisation');
        await dialog.getByRole('button', { name: 'Thêm cơ quan, đơn vị' }).click();
        await page.getByRole('status').getByText(`Đã thêm ${name}.`).waitFor();
        await page.getByLabel('Tìm theo tên').fill(name);
        await page.getByRole('button', { name: 'Tìm', exact: true }).click();
        const row = page.locator('table.data tbody tr', { hasText: name });
        await row.getByRole('cell', { name: commune.fullName, exact: true }).waitFor();
        await row.getByText('Tổ chức chính trị - xã hội').waitFor();
        const found = (await api.get(`/api/v1/organisations?q=${encodeURIComponent(name)}`)).body.items;
        expect(found.map((o: any) => [o.name, o.unit.code, o.kind])).toEqual([
          [name, commune.code, 'mass_organisation'],
        ]);
        await screenshot(page, 'organisations-1280');
        await page.setViewportSize(PHONE);
        await expectAccessible(page, 'organisations 360');
        await screenshot(page, 'organisations-360');
      });
      expect(errors).toEqual([]);
      await context.close();
    },
  );
  webIt('imports units and people from Excel after a dry run that names the bad rows', async () => {
    const { page, errors, context } = await newPage(b());
    await journey(page, 'imports', async () => {
      const api = await apiAs(login, ADMIN_PASSWORD);
      const commune = (await api.get('/api/v1/units?parent=19&limit=1')).body.items[0];
      await signIn(page, login, ADMIN_PASSWORD);
      await ready(page);
      await openFromMenu(page, 'Nhập dữ liệu từ Excel', '/quan-tri/nhap-du-lieu');
      await expectAccessible(page, 'imports');

      /** Downloads a section's template, writes `rows` under its header; returns the file and first row. */
      async function filled(section: Locator, button: string, rows: (string | number | null)[][]) {
        const download = page.waitForEvent('download');
        await section.getByRole('button', { name: button }).click();
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(readFileSync(await (await download).path()) as unknown as ArrayBuffer);
        const sheet = workbook.worksheets[0];
        let header = 0;
        sheet.eachRow((row, n) => {
          if (['Mã đơn vị', 'Họ và tên'].includes(row.getCell(1).text)) header = n;
        });
        rows.forEach((values, i) =>
          values.forEach((v, c) => (sheet.getCell(header + 1 + i, c + 1).value = v)),
        );
        return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()), first: header + 1 };
      }
      const choose = (section: Locator, buffer: Buffer) =>
        section.getByLabel('Tệp Excel đã điền').setInputFiles({
          name: 'tep.xlsx',
          mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          buffer,
        });

      // Units: a commune whose province exists neither in the file nor on the map is named by its row.
      const units = page.getByRole('region', { name: 'Đơn vị hành chính' });
      const badUnits = await filled(units, 'Tải biểu mẫu đơn vị hành chính', [
        ['98', 'Tỉnh Thử Nghiệm Nhập', null],
        ['97001', 'Xã Không Có Tỉnh', '97'],
      ]);
      await choose(units, badUnits.buffer);
      await units.getByRole('button', { name: 'Kiểm tra và xem trước' }).click();
      const unitProblems = units.getByRole('region', { name: 'Các dòng có lỗi' });
      await unitProblems.waitFor();
      expect(await unitProblems.locator('tbody tr').allInnerTexts()).toEqual([
        expect.stringMatching(new RegExp(`^${badUnits.first + 1}\\s+Mã tỉnh, thành phố\\s+không có tỉnh`)),
      ]);
      await expectAccessible(page, 'units import refused');
      expect((await api.get('/api/v1/units/98')).status).toBe(404);

      const goodUnits = await filled(units, 'Tải biểu mẫu đơn vị hành chính', [
        ['98', 'Tỉnh Thử Nghiệm Nhập', null],
        ['98001', 'Xã Thử Nghiệm Nhập', '98'],
      ]);
      await choose(units, goodUnits.buffer);
      await units.getByRole('button', { name: 'Kiểm tra và xem trước' }).click();
      await units.getByRole('status').getByText('Xem trước (chưa ghi): 2 dòng — 2 đơn vị mới').waitFor();
      expect((await api.get('/api/v1/units/98')).status).toBe(404);
      await units.getByRole('button', { name: 'Ghi 2 đơn vị mới, 0 đổi tên' }).click();
      await units.getByRole('status').getByText('Đã ghi: 2 dòng — 2 đơn vị mới').waitFor();
      expect((await api.get('/api/v1/units/98001')).body).toMatchObject({
        fullName: 'Xã Thử Nghiệm Nhập',
        parentCode: '98',
      });

      // People: a row without a birth year is named; the mended file registers the person once.
      const people = page.getByRole('region', { name: 'Người học' });
      const name = `Người nhập thử ${Date.now() % 100000}`;
      const badPeople = await filled(people, 'Tải biểu mẫu người học', [
        [name, null, null, 'Nữ', commune.code, 'Nông dân', null, null],
      ]);
      await choose(people, badPeople.buffer);
      await people.getByRole('button', { name: 'Kiểm tra và xem trước' }).click();
      const peopleProblems = people.getByRole('region', { name: 'Các dòng có lỗi' });
      await peopleProblems.waitFor();
      expect(await peopleProblems.locator('tbody tr').allInnerTexts()).toEqual([
        expect.stringMatching(new RegExp(`^${badPeople.first}\\s+Năm sinh\\s+cần Ngày sinh`)),
      ]);
      const goodPeople = await filled(people, 'Tải biểu mẫu người học', [
        [name, '12/03/1970', null, 'Nữ', commune.code, 'Nông dân', null, null],
      ]);
      await choose(people, goodPeople.buffer);
      await people.getByRole('button', { name: 'Kiểm tra và xem trước' }).click();
      await people.getByRole('status').getByText('Xem trước (chưa ghi): 1 dòng — 1 người mới').waitFor();
      await expectAccessible(page, 'people import preview');
      await screenshot(page, 'imports-1280');
      await people.getByRole('button', { name: 'Ghi 1 người mới' }).click();
      await people.getByRole('status').getByText('Đã ghi: 1 dòng — 1 người mới').waitFor();
      const found = (await api.get(`/api/v1/people?q=${encodeURIComponent(name)}`)).body.items;
      expect(found.map((p: any) => [p.fullName, p.birthYear])).toEqual([[name, 1970]]);
      await page.setViewportSize(PHONE);
      await expectAccessible(page, 'imports 360');
      await screenshot(page, 'imports-360');
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});
