import type { Page } from 'playwright-core';
import {
  ACCOUNTS,
  apiAs,
  axe,
  baseUrl,
  sharedBrowser,
  journey,
  newPage,
  ready,
  signIn,
  webIt,
} from './support';

/** What a commune's steering member can reach, and how the app signs people in and keeps them signed in. */
describe('scope and sessions in the browser', () => {
  const b = sharedBrowser();
  let program: { id: string };

  beforeAll(async () => {
    if (process.env.LANTOA_WEB_SKIP) return;
    const api = await apiAs(ACCOUNTS.province);
    program = (await api.get('/api/v1/programs')).body.items[0];
  });
  async function expectNoAccess(page: Page, path: string): Promise<void> {
    await page.goto(`${baseUrl()}${path}`);
    const alert = page.getByRole('alert').filter({ hasText: 'Không có quyền truy cập' });
    await alert.waitFor();
    expect([path, await page.locator('.figure, table.data').count()]).toEqual([path, 0]);
    expect([path, await axe(page)]).toEqual([path, []]);
  }

  webIt("shows a commune's steering member only the commune's subtree, and no access elsewhere", async () => {
    const { page, errors } = await newPage(b());
    await journey(page, 'commune-scope', async () => {
      const api = await apiAs(ACCOUNTS.commune);
      const me = (await api.get('/api/v1/auth/me')).body;
      const own = me.assignments[0].unit;
      await signIn(page, ACCOUNTS.commune);
      await ready(page);
      expect(new URL(page.url()).searchParams.get('unit')).toBe(own.code);
      const crumbs = page.getByRole('navigation', { name: 'Đơn vị đang xem' });
      await crumbs.getByText(own.fullName).waitFor();
      // The province above is named, but cannot be opened from here.
      expect(await crumbs.getByRole('button', { name: 'Tỉnh Thái Nguyên' }).count()).toBe(0);

      // The unit picker offers the commune itself and finds nothing outside it.
      await page.getByRole('button', { name: 'Chọn đơn vị khác' }).click();
      const picker = page.getByRole('dialog', { name: 'Chọn đơn vị' });
      await picker.getByRole('button', { name: `${own.fullName} (toàn bộ)` }).waitFor();
      await picker.getByLabel('Tìm theo tên (không cần gõ dấu)').fill('phu binh');
      await picker.getByText('0 đơn vị').waitFor();
      expect(await picker.locator('.unit-options li').count()).toBe(0);
      // Escape first clears the search field, then closes the dialog (as the browser's own dialog does).
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await picker.waitFor({ state: 'hidden' });
      // Focus goes back to the button that opened it.
      expect(await page.evaluate('document.activeElement?.textContent')).toBe('Chọn đơn vị khác');

      // Direct links to the province, another province and their lists answer "no access", not data.
      const q = `program=${program.id}&period=2026&view=recorded`;
      await expectNoAccess(page, `/tong-quan?${q}&unit=19`);
      await expectNoAccess(page, `/tong-quan?${q}&unit=01`);
      await expectNoAccess(page, `/tong-quan/so-lieu?${q}&unit=19&indicator=learners_reached`);
      await expectNoAccess(page, `/chi-tieu?${q}&unit=19`);
      await expectNoAccess(page, `/giang-vien?${q}&unit=19`);

      // Within the commune, the trainers listed are the commune's own.
      await page.goto(`${baseUrl()}/giang-vien?${q}&unit=${own.code}`);
      await ready(page);
      await page.locator('table.data tbody tr').first().waitFor();
      const board = (await api.get(`/api/v1/programs/${program.id}/leaderboard?unit=${own.code}&limit=50`))
        .body;
      expect(board.items.every((r: any) => r.trainer.homeUnit.code === own.code)).toBe(true);
      expect(await page.locator('table.data tbody tr').count()).toBe(board.items.length);
      expect(errors).toEqual([]);
    });
  });

  webIt(
    'keeps the session across a reload without a token in storage, and shows a lockout with the wait',
    async () => {
      const { page, context, errors } = await newPage(b());
      await journey(page, 'session', async () => {
        await signIn(page, ACCOUNTS.viewer);
        await ready(page);
        // The refresh token is an HttpOnly cookie: the page can read the CSRF cookie only.
        const cookies = await context.cookies();
        const refresh = cookies.find((c) => c.name === 'lantoa_refresh')!;
        expect(refresh).toMatchObject({
          httpOnly: true,
          secure: true,
          sameSite: 'Strict',
          path: '/api/v1/auth/session',
        });
        expect(await page.evaluate<string>('document.cookie')).not.toContain('lantoa_refresh');
        expect(await page.evaluate('[Object.keys(localStorage), Object.keys(sessionStorage)]')).toEqual([
          [],
          [],
        ]);
        // A reload forgets the in-memory access token; the cookie renews it silently.
        await page.reload();
        await ready(page);
        expect(new URL(page.url()).pathname).toBe('/tong-quan');

        // Wrong passwords: the reason in Vietnamese, then the lockout with the time to wait. On a login no
        // other journey uses (locking a demo account would lock out the journeys that sign in with it); an
        // unknown login is answered and locked exactly as a known one, so that answers tell no one which exist.
        const other = await newPage(b());
        await other.page.goto(`${baseUrl()}/dang-nhap`);
        const attempt = async () => {
          await other.page.getByLabel('Email hoặc số điện thoại').fill('khoa.thu@lantoa.vn');
          await other.page.getByLabel('Mật khẩu', { exact: true }).fill('sai-mat-khau-123');
          await other.page.getByRole('button', { name: 'Đăng nhập' }).click();
          await other.page.getByRole('alert').waitFor();
          return other.page.getByRole('alert').innerText();
        };
        expect(await attempt()).toContain('Tên đăng nhập hoặc mật khẩu không đúng');
        let message = '';
        for (let i = 0; i < 6 && !message.includes('tạm bị khóa'); i++) message = await attempt();
        expect(message).toMatch(/tạm bị khóa\. Vui lòng thử lại sau 15 phút/);
        expect(await axe(other.page)).toEqual([]);
        await other.context.close();
        expect(errors).toEqual([]);
      });
    },
  );
});
