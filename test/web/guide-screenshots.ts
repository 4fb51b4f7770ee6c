/**
 * The screenshots of the steering members' guide (docs/huong-dan/ban-chi-dao.md), taken from the built app
 * on a fresh demo database: `npm run docs:screenshots`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startService, stopService } from './service';

const OUT = join(__dirname, '../../docs/huong-dan/anh');

async function shot(page: Page, name: string, clipHeight?: number): Promise<void> {
  const viewport = page.viewportSize()!;
  await page.screenshot({
    path: join(OUT, `${name}.png`),
    clip: { x: 0, y: 0, width: viewport.width, height: clipHeight ?? viewport.height },
  });
  console.log(`docs/huong-dan/anh/${name}.png`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const { state } = await startService();
  const browser = await launchChromium();
  try {
    const base = state.baseUrl;
    for (const [width, height, suffix] of [
      [1280, 860, ''],
      [360, 740, '-dien-thoai'],
    ] as const) {
      const context = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN' });
      const page = await context.newPage();
      const ready = () => page.locator('[data-ready="true"]').first().waitFor({ timeout: 60_000 });
      await page.goto(`${base}/dang-nhap`);
      await page.getByLabel('Email hoặc số điện thoại').fill('bcd.thainguyen@lantoa.vn');
      await page.getByLabel('Mật khẩu', { exact: true }).fill('LanToa-Demo-2026');
      await shot(page, `dang-nhap${suffix}`);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await ready();
      await shot(page, `tong-quan${suffix}`);
      await page.getByRole('heading', { name: 'Biểu đồ' }).scrollIntoViewIfNeeded();
      await page.evaluate('window.scrollBy(0, -20)');
      await page.screenshot({ path: join(OUT, `bieu-do${suffix}.png`) });
      await page.getByRole('heading', { name: 'Các đơn vị trực thuộc' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(OUT, `don-vi-truc-thuoc${suffix}.png`) });
      const search = new URL(page.url()).search;
      await page.evaluate('window.scrollTo(0, 0)');
      await page.getByRole('button', { name: 'Chọn đơn vị khác' }).click();
      await page.getByLabel('Tìm theo tên (không cần gõ dấu)').fill('dong hy');
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /Xã Đồng Hỷ/ })
        .waitFor();
      await shot(page, `chon-don-vi${suffix}`);
      await page.getByRole('dialog').getByRole('button', { name: 'Đóng' }).click();
      for (const [name, path] of [
        ['danh-sach-nguoi-hoc', `/tong-quan/so-lieu${search}&indicator=learners_reached`],
        ['giang-vien', `/giang-vien${search}`],
        ['chi-tieu', `/chi-tieu${search}`],
        ['bao-cao', `/bao-cao${search}`],
        ['xuat-bao-cao', `/xuat-bao-cao${search}`],
        ['nhat-ky', '/nhat-ky'],
      ]) {
        await page.goto(`${base}${path}`);
        await ready();
        await shot(page, `${name}${suffix}`);
      }
      await page.goto(`${base}/giang-vien${search}`);
      await ready();
      await page.getByRole('tab', { name: 'Cây lan tỏa' }).click();
      await page
        .getByRole('button', { name: /^Mở những người .* đã đào tạo$/ })
        .first()
        .click();
      await page
        .getByText(/cả cây \d/)
        .first()
        .waitFor();
      await shot(page, `cay-lan-toa${suffix}`);
      await page.goto(`${base}/chi-tieu${search}`);
      await ready();
      await page
        .getByRole('button', { name: /^Chia cho đơn vị trực thuộc/ })
        .first()
        .click();
      await page.getByRole('button', { name: 'Xem trước' }).click();
      await page.getByRole('dialog').getByRole('table').waitFor();
      await shot(page, `chia-chi-tieu${suffix}`);
      const elsewhere = new URLSearchParams(search);
      elsewhere.set('unit', '01');
      await page.goto(`${base}/tong-quan?${elsewhere.toString()}`);
      await page.getByRole('heading', { name: 'Không có quyền truy cập' }).waitFor();
      await shot(page, `khong-co-quyen${suffix}`);
      await context.close();
    }
  } finally {
    await browser.close();
    stopService(state);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
