import { join } from 'node:path';
import {
  ACCOUNTS,
  apiAs,
  expectAccessible,
  sharedBrowser,
  journey,
  newPage,
  openFromMenu,
  PHONE,
  ready,
  screenshot,
  SCREENSHOTS,
  signIn,
  webIt,
} from './support';

/**
 * The provincial steering member's administration screens for programs and background jobs (the service is
 * shared by every journey: a program's phases are changed here, never its code, dates, quota or rule, and
 * no program is created, since the others read the newest program as the campaign's).
 */
describe('programs and background jobs screens', () => {
  const b = sharedBrowser();

  webIt(
    "lists programs, refuses a bad new one next to its fields, and adds a phase to the province's program",
    async () => {
      const { page, errors, context } = await newPage(b());
      await journey(page, 'programs', async () => {
        const api = await apiAs(ACCOUNTS.province);
        const { items, total: programs } = (await api.get('/api/v1/programs')).body;
        const program = items[0];
        await signIn(page, ACCOUNTS.province);
        await ready(page);
        await openFromMenu(page, 'Chương trình', '/quan-tri/chuong-trinh');
        const row = page.locator('table.data tbody tr', { hasText: program.name });
        await row.getByRole('cell', { name: program.ownerUnit.fullName, exact: true }).waitFor();
        await row
          .getByRole('cell', { name: program.defaultQuota.toLocaleString('vi-VN'), exact: true })
          .waitFor();
        await expectAccessible(page, 'programs');

        // A new program, opened from the keyboard: the end before the start is refused under its field.
        await page.getByRole('button', { name: 'Thêm chương trình' }).focus();
        await page.keyboard.press('Enter');
        const dialog = page.getByRole('dialog', { name: 'Thêm chương trình' });
        await dialog.getByLabel('Mã chương trình').waitFor();
        await page.keyboard.type('tn');
        expect(await dialog.getByLabel('Mã chương trình').inputValue()).toBe('TN');
        await dialog.getByLabel('Mã đơn vị chủ trì').fill('19');
        await dialog.getByLabel('Tên chương trình').fill('Chương trình thử nghiệm');
        await dialog.getByLabel('Ngày bắt đầu').fill('01/06/2027');
        await dialog.getByLabel('Ngày kết thúc').fill('01/01/2027');
        await dialog.getByLabel('Giai đoạn 1: tên').fill('Chuẩn bị');
        await dialog.getByLabel('Giai đoạn 1: từ ngày').fill('01/06/2027');
        await dialog.getByLabel('Giai đoạn 1: đến ngày').fill('30/06/2027');
        await dialog.getByLabel('Giai đoạn 1: tên').press('Enter');
        const endError = dialog.locator('.field-invalid', { has: page.getByLabel('Ngày kết thúc') });
        await endError.getByText('phải sau ngày bắt đầu').waitFor();
        await expectAccessible(page, 'program refused');
        await screenshot(page, 'programs-refused-1280');
        await dialog.screenshot({ path: join(SCREENSHOTS, 'programs-refused-dialog-1280.png') });
        // Dates mended: the code is the demo program's, refused as taken; nothing is created.
        await dialog.getByLabel('Ngày kết thúc').fill('31/12/2027');
        await dialog.getByRole('button', { name: 'Thêm chương trình' }).click();
        await dialog.locator('.form-error').getByText('Mã chương trình TN đã được dùng.').waitFor();
        expect((await api.get('/api/v1/programs')).body.total).toBe(programs);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });

        // The demo program gets one more phase, within its dates; the rest is kept as it was.
        await page.getByRole('button', { name: `Sửa ${program.name}` }).click();
        const edit = page.getByRole('dialog', { name: 'Sửa chương trình' });
        const phases = program.phases.length;
        await edit.getByRole('button', { name: 'Thêm giai đoạn' }).click();
        const n = phases + 1;
        const day = (iso: string) => iso.split('-').reverse().join('/');
        await edit.getByLabel(`Giai đoạn ${n}: tên`).fill('Tổng kết, đánh giá');
        await edit.getByLabel(`Giai đoạn ${n}: từ ngày`).fill(day(program.endsOn));
        await edit.getByLabel(`Giai đoạn ${n}: đến ngày`).fill(day(program.endsOn));
        await expectAccessible(page, 'program edit');
        await edit.getByRole('button', { name: 'Lưu chương trình' }).click();
        await page.getByRole('status').getByText(`Đã lưu chương trình ${program.name}.`).waitFor();
        const saved = (await api.get(`/api/v1/programs/${program.id}`)).body;
        expect(saved.phases.at(-1)).toEqual({
          name: 'Tổng kết, đánh giá',
          startsOn: program.endsOn,
          endsOn: program.endsOn,
        });
        expect(saved.phases.slice(0, phases)).toEqual(program.phases);
        expect([saved.defaultQuota, saved.completionRule, saved.levels]).toEqual([
          program.defaultQuota,
          program.completionRule,
          program.levels,
        ]);
        await row.getByText('Tổng kết, đánh giá').waitFor();
        await screenshot(page, 'programs-1280');
        await page.setViewportSize(PHONE);
        await expectAccessible(page, 'programs 360');
        await screenshot(page, 'programs-360');
        await page.getByRole('button', { name: `Sửa ${program.name}` }).click();
        await expectAccessible(page, 'program edit 360');
        await edit.screenshot({ path: join(SCREENSHOTS, 'programs-edit-dialog-360.png') });
      });
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  webIt('shows an export job running, then finished with its file, refreshing by itself', async () => {
    const { page, errors, context } = await newPage(b());
    await journey(page, 'jobs', async () => {
      const api = await apiAs(ACCOUNTS.province);
      const program = (await api.get('/api/v1/programs')).body.items[0];
      // A job queued just before the page opens (as the exports page would): the page follows it.
      const queued = await api.post('/api/v1/exports', {
        programId: program.id,
        unit: '19',
        period: program.startsOn.slice(0, 4),
        delivery: 'job',
      });
      expect(queued.status).toBe(202);
      await signIn(page, ACCOUNTS.province);
      await ready(page);
      await openFromMenu(page, 'Tác vụ nền', '/quan-tri/tac-vu');
      // Without a reload the row turns finished, with its creation and finish times and its file.
      const rows = page.locator('table.data tbody tr');
      const first = rows.first();
      await first.getByText('Xuất báo cáo KPI (Excel)').waitFor();
      await first.getByText('Đã xong').waitFor({ timeout: 60_000 });
      const cells = await first.locator('td').allInnerTexts();
      expect(cells[2]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      expect(cells[3]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      const job = (await api.get(`/api/v1/jobs/${queued.body.id}`)).body;
      expect(job.status).toBe('succeeded');
      const download = page.waitForEvent('download');
      await first.getByRole('button', { name: /^Tải tệp/ }).click();
      expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
      await expectAccessible(page, 'jobs');
      await screenshot(page, 'jobs-1280');

      // Filters live in the address: failed jobs of this kind (none here).
      await page.getByLabel('Trạng thái').selectOption('failed');
      await page.waitForURL((u) => u.searchParams.get('status') === 'failed');
      await page.getByText('Không có tác vụ nào.').waitFor();
      await page.getByLabel('Trạng thái').selectOption('succeeded');
      await first.getByText('Đã xong').waitFor();
      await page.setViewportSize(PHONE);
      await expectAccessible(page, 'jobs 360');
      await screenshot(page, 'jobs-360');
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});
