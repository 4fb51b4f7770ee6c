import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Http } from '../support/http';
import {
  ACCOUNTS,
  apiAs,
  expectAccessible,
  sharedBrowser,
  DESKTOP,
  journey,
  newPage,
  PHONE,
  ready,
  screenshot,
  SCREENSHOTS,
  signIn,
  webIt,
} from './support';

/**
 * A department head registers the organisation's staff from Excel on /don-vi, in the browser against the real
 * API: downloads the template, previews a file with a bad row (named by its row number, nothing written),
 * previews the corrected file and writes it; the people list then holds them.
 */
describe("a department head's staff import", () => {
  const b = sharedBrowser();
  let head: Http;
  let organisation: { id: string; name: string };
  let commune: string;

  beforeAll(async () => {
    if (process.env.LANTOA_WEB_SKIP) return;
    head = await apiAs(ACCOUNTS.head);
    organisation = (await head.get('/api/v1/auth/me')).body.assignments[0].organisation;
    const program = (await head.get('/api/v1/programs')).body.items[0];
    const unit = (await head.get(`/api/v1/organisations/${organisation.id}/figures?programId=${program.id}`))
      .body.unit;
    commune =
      unit.code.length === 5
        ? unit.code
        : (await head.get(`/api/v1/units?parent=${unit.code}&limit=1`)).body.items[0].code;
  });
  /** The downloaded template with `rows` under its header; returns the file and its first data row. */
  async function fill(template: string, rows: (string | number | null)[][]) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(template) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    let header = 0;
    sheet.eachRow((row, n) => {
      if (row.getCell(1).value === 'Họ và tên') header = n;
    });
    rows.forEach((values, i) => values.forEach((v, c) => (sheet.getCell(header + 1 + i, c + 1).value = v)));
    return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()), first: header + 1 };
  }

  /** The organisation's people whose name holds `text`. */
  const members = async (text: string) =>
    (
      await head.get(
        `/api/v1/people?organisationId=${organisation.id}&q=${encodeURIComponent(text)}&limit=100`,
      )
    ).body.items.map((p: any) => p.fullName as string);

  for (const [viewport, size] of [
    [DESKTOP, 1280],
    [PHONE, 360],
  ] as const) {
    webIt(
      `previews a staff list with row errors, then writes it (${size} px)`,
      async () => {
        const { page, errors } = await newPage(b(), viewport);
        await journey(page, `staff-import-${size}`, async () => {
          await signIn(page, ACCOUNTS.head);
          await page.waitForURL((u) => u.pathname === '/don-vi');
          await ready(page);
          await page.getByRole('button', { name: 'Nhập từ Excel' }).click();
          const dialog = page.getByRole('dialog', { name: 'Nhập danh sách nhân sự từ Excel' });
          const download = page.waitForEvent('download');
          await dialog.getByRole('button', { name: 'Tải biểu mẫu Excel' }).click();
          const template = await (await download).path();
          await expectAccessible(page, `staff import ${size}`);

          const names = [`Nhân viên thử nghiệm ${size} Một`, `Nhân viên thử nghiệm ${size} Hai`];
          const bad = await fill(template, [
            [names[0], null, 1990, 'Nữ', commune, 'Nông dân', null, null],
            [names[1], null, null, 'Nam', '99999', 'Nông dân', null, null],
          ]);
          const upload = (file: Buffer) =>
            dialog.getByLabel('Tệp Excel đã điền').setInputFiles({
              name: 'nhan-su.xlsx',
              mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
              buffer: file,
            });
          await upload(bad.buffer);
          await dialog.getByRole('button', { name: 'Xem trước' }).click();
          const problems = dialog.getByRole('region', { name: 'Các dòng có lỗi' });
          await problems.waitFor();
          const rows = await problems.locator('tbody tr').allInnerTexts();
          expect(rows).toEqual(
            expect.arrayContaining([
              expect.stringMatching(
                new RegExp(`^${bad.first + 1}\\s+Năm sinh\\s+cần Ngày sinh hoặc Năm sinh`),
              ),
              expect.stringMatching(new RegExp(`^${bad.first + 1}\\s+Mã xã, phường\\s+99999`)),
            ]),
          );
          expect(await members(names[0])).toEqual([]);
          await expectAccessible(page, `staff import errors ${size}`);
          await screenshot(page, `staff-import-errors-${size}`);
          await dialog.screenshot({ path: join(SCREENSHOTS, `staff-import-errors-dialog-${size}.png`) });

          const good = await fill(template, [
            [names[0], null, 1990, 'Nữ', commune, 'Nông dân', null, null],
            [names[1], null, 1987, 'Nam', commune, 'Nông dân', null, null],
          ]);
          await upload(good.buffer);
          await dialog.getByRole('button', { name: 'Xem trước' }).click();
          await dialog.getByRole('status').getByText('Xem trước (chưa ghi): 2 dòng — 2 người mới').waitFor();
          expect(await members(names[0])).toEqual([]);
          await screenshot(page, `staff-import-preview-${size}`);
          await dialog.screenshot({ path: join(SCREENSHOTS, `staff-import-preview-dialog-${size}.png`) });
          await dialog.getByRole('button', { name: 'Ghi 2 người vào danh sách' }).click();
          await dialog.getByRole('status').getByText('Đã ghi: 2 dòng — 2 người mới').waitFor();
          expect((await members(`thử nghiệm ${size}`)).sort()).toEqual([...names].sort());
          await expectAccessible(page, `staff import written ${size}`);
          await screenshot(page, `staff-import-written-${size}`);
          await dialog.screenshot({ path: join(SCREENSHOTS, `staff-import-written-dialog-${size}.png`) });
          expect(errors).toEqual([]);
        });
        await page.context().close();
      },
      120_000,
    );
  }
});
