import type { Page } from 'playwright-core';
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
  PHONE,
  ready,
  screenshot,
  signIn,
  webIt,
} from './support';

/**
 * Every page of the steering console, on a 360 px phone and a 1280 px desktop: no WCAG 2.1 A/AA violation,
 * no English left from a library, no horizontal scrolling of the page itself, and a screenshot to look at
 * (dist/test-artifacts/web). Keyboard-only use is walked through separately.
 */
describe('the pages of the steering console', () => {
  const b = sharedBrowser();
  let query: string;

  beforeAll(async () => {
    if (process.env.LANTOA_WEB_SKIP) return;
    const api = await apiAs(ACCOUNTS.province);
    const program = (await api.get('/api/v1/programs')).body.items[0];
    query = `program=${program.id}&unit=19&period=2026&view=recorded`;
  });
  async function check(page: Page, name: string, width: number): Promise<void> {
    await expectAccessible(page, `${name} ${width}`);
    const text = await page.locator('body').innerText();
    expect([name, text.match(/\b(Select an item|Loading|Error|Submit|Cancel|mm\/dd\/yyyy)\b/)]).toEqual([
      name,
      null,
    ]);
    await screenshot(page, `${name}-${width}`);
  }

  for (const viewport of [PHONE, DESKTOP]) {
    webIt(`shows every page accessibly at ${viewport.width} px`, async () => {
      const { page, errors } = await newPage(b(), viewport);
      await journey(page, `pages-${viewport.width}`, async () => {
        await page.goto(`${baseUrl()}/dang-nhap`);
        await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
        await check(page, 'login', viewport.width);
        await signIn(page, ACCOUNTS.province);
        const pages: [string, string][] = [
          ['dashboard', `/tong-quan?${query}`],
          ['drilldown', `/tong-quan/so-lieu?${query}&indicator=learners_reached`],
          ['drilldown-classes', `/tong-quan/so-lieu?${query}&indicator=classes_held`],
          ['trainers', `/giang-vien?${query}`],
          ['targets', `/chi-tieu?${query}`],
          ['reports', `/bao-cao?${query}`],
          ['reports-missing', `/bao-cao?${query}&tab=missing`],
          ['exports', `/xuat-bao-cao?${query}`],
          ['audit', `/nhat-ky`],
        ];
        for (const [name, path] of pages) {
          await page.goto(`${baseUrl()}${path}`);
          await ready(page);
          await check(page, name, viewport.width);
        }
        // The cascade tree, opened two generations down.
        await page.goto(`${baseUrl()}/giang-vien?${query}`);
        await ready(page);
        await page.getByRole('tab', { name: 'Cây lan tỏa' }).click();
        const open = page.getByRole('button', { name: /^Mở những người .* đã đào tạo$/ });
        await open.first().click();
        await page.locator('.tree ul li .tree-node').first().waitFor();
        await page
          .getByText(/cả cây \d/)
          .first()
          .waitFor();
        await check(page, 'cascade', viewport.width);
        // The unit picker and the menu on a phone.
        await page.goto(`${baseUrl()}/tong-quan?${query}`);
        await ready(page);
        await page.getByRole('button', { name: 'Chọn đơn vị khác' }).click();
        await page.getByLabel('Tìm theo tên (không cần gõ dấu)').fill('dong hy');
        await page
          .getByRole('dialog')
          .getByRole('button', { name: /Xã Đồng Hỷ/ })
          .waitFor();
        await check(page, 'unit-picker', viewport.width);
        await page
          .getByRole('dialog')
          .getByRole('button', { name: /Xã Đồng Hỷ/ })
          .click();
        await page.waitForURL((u) => u.searchParams.get('unit') !== '19');
        await ready(page);
        await check(page, 'dashboard-commune', viewport.width);
        if (viewport.width < 960) {
          await page.getByRole('button', { name: 'Menu' }).click();
          await page
            .getByRole('navigation', { name: 'Chức năng' })
            .getByRole('link', { name: 'Giảng viên' })
            .waitFor();
          await check(page, 'menu', viewport.width);
        }
        await page.goto(`${baseUrl()}/khong-co-trang-nay`);
        await page.getByRole('heading', { name: 'Không tìm thấy trang' }).waitFor();
        await check(page, 'not-found', viewport.width);
        expect(errors).toEqual([]);
      });
    });
  }

  webIt('masks personal data for a viewer and works with the keyboard alone', async () => {
    const { page, errors } = await newPage(b());
    await journey(page, 'keyboard', async () => {
      await page.goto(`${baseUrl()}/dang-nhap`);
      // Sign in without a mouse: the login field has focus, Tab moves on, Enter submits.
      await page.getByLabel('Email hoặc số điện thoại').waitFor();
      expect(await page.evaluate<string>('document.activeElement.name')).toBe('login');
      await page.keyboard.type(ACCOUNTS.viewer);
      await page.keyboard.press('Tab');
      await page.keyboard.type('LanToa-Demo-2026');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === '/tong-quan');
      await ready(page);
      // The first Tab reaches the skip link, visibly focused; it jumps to the content.
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Bỏ qua, đến nội dung chính' });
      expect(await page.evaluate<string>('document.activeElement.textContent')).toBe(await skip.innerText());
      expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe(
        'none',
      );
      await page.keyboard.press('Enter');
      expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
      // From the content, Tab reaches the unit picker; Enter opens it and the search field has focus.
      const focused = () => page.evaluate<string>('document.activeElement.textContent');
      for (let i = 0; i < 10 && (await focused()) !== 'Chọn đơn vị khác'; i++)
        await page.keyboard.press('Tab');
      expect(await focused()).toBe('Chọn đơn vị khác');
      await page.keyboard.press('Enter');
      expect(await page.evaluate<string>('document.activeElement.id')).toBe('unit-search');
      await page.keyboard.type('dong hy');
      const result = page.getByRole('dialog').getByRole('button', { name: /Xã Đồng Hỷ/ });
      await result.waitFor();
      await result.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.searchParams.get('unit') !== '19');
      await ready(page);
      // The figure opens its list with Enter; a viewer sees who, not their CCCD or phone.
      const link = page.getByRole('link', { name: /^Người học được tiếp cận: .* xem danh sách$/ });
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === '/tong-quan/so-lieu');
      await ready(page);
      const cccd = await page.locator('table.data tbody tr td.mono').first().innerText();
      expect(cccd).toMatch(/\*{4,}/);
      expect(await axe(page)).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});
