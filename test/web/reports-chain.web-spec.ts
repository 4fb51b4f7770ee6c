import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { Http } from '../support/http';
import {
  ACCOUNTS,
  apiAs,
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
  webIt,
} from './support';

/**
 * A department head reports up the chain, in the browser against the real API: the head of Đồng Hỷ's People's
 * Committee submits; the commune returns it with a comment; the head fixes and resubmits; the commune approves;
 * the province approves and the report is locked; its document keeps the approved figures after a later
 * correction of attendance; reopening it needs a reason and shows in the audit trail.
 */
describe('a department head reports progress up the chain', () => {
  const b = sharedBrowser();
  let head: Http;
  let commune: Http;
  let program: { id: string; reportedIndicators: { code: string }[] };
  let organisation: { id: string; name: string };

  beforeAll(async () => {
    if (process.env.LANTOA_WEB_SKIP) return;
    head = await apiAs(ACCOUNTS.communeHead);
    commune = await apiAs(ACCOUNTS.commune);
    program = (await head.get('/api/v1/programs')).body.items[0];
    organisation = (await head.get('/api/v1/auth/me')).body.assignments[0].organisation;
  });
  const card = (page: Page, id: string) =>
    page.locator('ul.items > li', { has: page.locator(`#report-${id}`) });

  async function openReports(page: Page, tab?: string): Promise<void> {
    await openFromMenu(page, 'Báo cáo tiến độ', '/bao-cao');
    if (tab) await page.getByRole('tab', { name: tab }).click();
  }

  /** Takes a committee member's marks back in a class that was their only one (a correction after approval). */
  async function correctAttendance(period: string): Promise<void> {
    // The marks that counted in the report: sessions before the end of its quarter, in Vietnam.
    const [year, quarter] = period.split('-Q').map(Number);
    const end = Date.parse(
      quarter === 4
        ? `${year + 1}-01-01T00:00:00+07:00`
        : `${year}-${String(quarter * 3 + 1).padStart(2, '0')}-01T00:00:00+07:00`,
    );
    const members = new Set(
      (await head.get(`/api/v1/people?organisationId=${organisation.id}&limit=500`)).body.items.map(
        (p: any) => p.id,
      ),
    );
    const classes = (await head.get(`/api/v1/classes?programId=${program.id}&limit=100`)).body.items;
    const seen = new Map<string, { classId: string; sessions: string[] }[]>();
    for (const c of classes) {
      const sheet = await commune.get(`/api/v1/classes/${c.id}/attendance`);
      if (sheet.status !== 200) continue;
      for (const row of sheet.body.rows) {
        if (!members.has(row.person.id)) continue;
        const counted = new Set(
          sheet.body.sessions.filter((x: any) => Date.parse(x.startsAt) < end).map((x: any) => x.id),
        );
        const present = Object.entries(row.marks)
          .filter(([session, status]) => (status === 'present' || status === 'late') && counted.has(session))
          .map(([session]) => session);
        if (present.length)
          seen.set(row.person.id, [...(seen.get(row.person.id) ?? []), { classId: c.id, sessions: present }]);
      }
    }
    const [personId, [only]] = [...seen.entries()].find(([, list]) => list.length === 1)!;
    for (const session of only.sessions) {
      const res = await commune.put(`/api/v1/classes/${only.classId}/sessions/${session}/attendance`, {
        marks: [{ personId, status: 'absent' }],
      });
      expect(res.status).toBe(200);
    }
  }

  webIt(
    'submits, is returned, resubmits, climbs commune → province, is locked, printed and reopened',
    async () => {
      const headPage = await newPage(b());
      const communePage = await newPage(b());
      const provincePage = await newPage(b());
      const { page } = headPage;
      await journey(page, 'reports-chain', async () => {
        // The head lands on their organisation's page: its figures are the API's.
        await signIn(page, ACCOUNTS.communeHead);
        await page.waitForURL((u) => u.pathname === '/don-vi');
        await ready(page);
        const figures = (
          await head.get(`/api/v1/organisations/${organisation.id}/figures?programId=${program.id}`)
        ).body.figures;
        expect(figures.members).toBeGreaterThan(0);
        expect(await page.locator('[aria-labelledby="org-members"] .figure').innerText()).toContain(
          figures.members.toLocaleString('vi-VN'),
        );
        expect(await page.locator('[aria-labelledby="org-trained"] .figure').innerText()).toContain(
          figures.trained.toLocaleString('vi-VN'),
        );
        // Its people are listed with their CCCD masked.
        const cccds = await page.locator('table.data tbody td.mono').allInnerTexts();
        expect(cccds.filter((c) => /^\d{12}$/.test(c))).toEqual([]);
        await expectAccessible(page, 'organisation home');
        await screenshot(page, 'organisation-home-1280');

        // Registering a member: a refused value is said next to its field, then the person is added.
        await page.getByRole('button', { name: 'Đăng ký nhân sự' }).click();
        const dialog = page.getByRole('dialog', { name: 'Đăng ký nhân sự' });
        await dialog.getByRole('button', { name: 'Đăng ký' }).click();
        await dialog.locator('.field-error').first().waitFor();
        await expectAccessible(page, 'register a member');
        await dialog.getByLabel('Họ và tên').fill('Đặng Thị Hồng Nhung');
        await dialog.getByLabel('Năm sinh').fill('1991');
        await dialog.getByRole('button', { name: 'Đăng ký' }).click();
        await page.getByRole('status').getByText('Đã đăng ký Đặng Thị Hồng Nhung.').waitFor();

        // A new report for the quarter, saved as a draft, then submitted.
        await openFromMenu(page, 'Báo cáo của đơn vị', '/bao-cao-don-vi');
        await page.getByRole('button', { name: 'Lập báo cáo mới' }).click();
        const form = page.getByRole('dialog', { name: 'Lập báo cáo tiến độ' });
        await form.locator('.notice').waitFor();
        await form.getByLabel('Tổng số người của đơn vị').fill('60');
        await form.getByLabel('Số người đã được tập huấn').fill('45');
        await form.getByLabel('Số người thành thạo, ứng dụng được công cụ AI').fill('50');
        await form
          .getByLabel('Tình hình thực hiện, kiến nghị')
          .fill('Cán bộ, công chức UBND xã đã dự lớp buổi chiều.');
        await form.getByRole('button', { name: 'Lưu bản nháp' }).click();
        // More proficient than trained is refused, next to the field.
        await form.locator('.field-error', { hasText: 'không được lớn hơn số đã tập huấn' }).waitFor();
        await expectAccessible(page, 'report form');
        await form.getByLabel('Số người thành thạo, ứng dụng được công cụ AI').fill('30');
        await form.getByRole('button', { name: 'Lưu bản nháp' }).click();
        await form.waitFor({ state: 'hidden' });
        const [report] = (
          await head.get(`/api/v1/reports?programId=${program.id}&status=draft`)
        ).body.items.filter((r: any) => r.organisation?.id === organisation.id);
        expect(report).toMatchObject({ headcount: 60, trained: 45, proficient: 30 });
        await card(page, report.id).getByRole('button', { name: 'Nộp báo cáo' }).click();
        await card(page, report.id).getByText('Đang chờ duyệt').first().waitFor();
        expect(await card(page, report.id).locator('.chain-step').allInnerTexts()).toEqual([
          expect.stringMatching(/^Cấp xã: Xã Đồng Hỷ\s+Đang chờ duyệt/),
          expect.stringMatching(/^Cấp tỉnh: Tỉnh Thái Nguyên\s+Chưa đến lượt/),
        ]);
        await expectAccessible(page, 'organisation reports');

        // The commune returns it with a comment (required).
        const cp = communePage.page;
        await signIn(cp, ACCOUNTS.commune);
        await openReports(cp);
        await card(cp, report.id).getByRole('button', { name: 'Trả lại' }).click();
        const back = cp.getByRole('dialog', { name: 'Trả lại báo cáo' });
        await back.getByRole('button', { name: 'Trả lại báo cáo' }).click();
        await back.locator('.field-error').waitFor();
        await back
          .getByLabel('Lý do trả lại')
          .fill('Đề nghị bổ sung số người thành thạo theo danh sách lớp.');
        await back.getByRole('button', { name: 'Trả lại báo cáo' }).click();
        await card(cp, report.id).waitFor({ state: 'detached' });

        // The head sees why, fixes and resubmits.
        await page.reload();
        await ready(page);
        await card(page, report.id)
          .getByText('Cấp trên trả lại: “Đề nghị bổ sung số người thành thạo theo danh sách lớp.”')
          .waitFor();
        await card(page, report.id).getByRole('button', { name: 'Sửa báo cáo' }).click();
        const edit = page.getByRole('dialog', { name: /^Sửa báo cáo/ });
        await edit.getByLabel('Số người thành thạo, ứng dụng được công cụ AI').fill('28');
        await edit.getByRole('button', { name: 'Lưu bản nháp' }).click();
        await edit.waitFor({ state: 'hidden' });
        await card(page, report.id).getByRole('button', { name: 'Nộp lại' }).click();
        await card(page, report.id).getByText('Đang chờ duyệt').first().waitFor();

        // The commune approves: it climbs to the province.
        await cp.reload();
        await ready(cp);
        await card(cp, report.id).getByRole('button', { name: 'Duyệt' }).click();
        const approve = cp.getByRole('dialog', { name: 'Duyệt báo cáo' });
        await approve.getByText('chuyển lên cấp duyệt tiếp theo').waitFor();
        await approve.getByLabel('Nhận xét (không bắt buộc)').fill('Xã đã kiểm tra, đồng ý.');
        await approve.getByRole('button', { name: 'Duyệt báo cáo' }).click();
        await card(cp, report.id).waitFor({ state: 'detached' });
        expect(
          (await head.get(`/api/v1/reports/${report.id}`)).body.approvals.map((s: any) => s.state),
        ).toEqual(['approved', 'awaiting']);

        // The province approves: locked.
        const pp = provincePage.page;
        await signIn(pp, ACCOUNTS.province);
        await openReports(pp);
        await expectAccessible(pp, 'province inbox');
        await card(pp, report.id).getByRole('button', { name: 'Duyệt' }).click();
        const last = pp.getByRole('dialog', { name: 'Duyệt báo cáo' });
        await last.getByText('Đây là cấp duyệt cuối cùng').waitFor();
        await last.getByRole('button', { name: 'Duyệt báo cáo' }).click();
        await card(pp, report.id).waitFor({ state: 'detached' });
        const approved = (await head.get(`/api/v1/reports/${report.id}`)).body;
        expect(approved).toMatchObject({
          status: 'approved',
          locked: true,
          headcount: 60,
          trained: 45,
          proficient: 28,
        });

        // A correction of attendance afterwards moves the live figures, not the approved document.
        await correctAttendance(report.period);
        const live = (
          await head.get(
            `/api/v1/organisations/${organisation.id}/figures?programId=${program.id}&period=${report.period}`,
          )
        ).body.figures;
        expect(live.trained).toBe(approved.recordFigures.trained - 1);
        await page.reload();
        await ready(page);
        await card(page, report.id).getByText('Đã duyệt').first().waitFor();
        expect(await card(page, report.id).getByRole('button', { name: 'Sửa báo cáo' }).count()).toBe(0);
        const download = page.waitForEvent('download');
        await card(page, report.id).getByRole('button', { name: 'Tải văn bản (PDF)' }).click();
        const file = await (await download).path();
        const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(
          /\s+/g,
          ' ',
        );
        for (const expected of [
          'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
          'Độc lập - Tự do - Hạnh phúc',
          'ỦY BAN NHÂN DÂN XÃ ĐỒNG HỶ',
          'Tình trạng: Đã được duyệt',
          'Số người đã được tập huấn người 60 45 75 %',
          `Đã dự ít nhất một buổi học người ${approved.recordFigures.trained.toLocaleString('vi-VN')}`,
          'Xã Đồng Hỷ (cấp xã) đã duyệt',
          'Xã đã kiểm tra, đồng ý.',
          'Tỉnh Thái Nguyên (cấp tỉnh) đã duyệt',
          'THỦ TRƯỞNG ĐƠN VỊ',
        ])
          expect(text).toContain(expected);
        await screenshot(page, 'organisation-reports-1280');

        // Reopening needs a reason, and is in the audit trail.
        await openReports(pp, 'Tất cả báo cáo');
        await card(pp, report.id).getByRole('button', { name: 'Mở lại' }).click();
        const reopen = pp.getByRole('dialog', { name: 'Mở lại báo cáo' });
        await reopen.getByRole('button', { name: 'Mở lại báo cáo' }).click();
        await reopen.locator('.field-error').waitFor();
        expect(await reopen.getByLabel('Lý do mở lại').getAttribute('aria-invalid')).toBe('true');
        await reopen.getByLabel('Lý do mở lại').fill('Đơn vị đề nghị điều chỉnh số liệu sau khi rà soát.');
        await reopen.getByRole('button', { name: 'Mở lại báo cáo' }).click();
        await reopen.waitFor({ state: 'hidden' });
        expect((await head.get(`/api/v1/reports/${report.id}`)).body.status).toBe('returned');
        await pp
          .getByRole('navigation', { name: 'Chức năng' })
          .getByRole('link', { name: 'Nhật ký thao tác' })
          .click();
        await pp.waitForURL((u) => u.pathname === '/nhat-ky');
        await pp.getByLabel('Thao tác (mã)').fill('report.reopened');
        await pp.getByRole('button', { name: /Lọc|Tìm/ }).click();
        await pp.locator('table.data tbody tr', { hasText: report.id }).getByText('Mở lại báo cáo').waitFor();
        await expectAccessible(pp, 'audit trail');
      });
      for (const p of [headPage, communePage, provincePage]) {
        expect(p.errors).toEqual([]);
        await p.context.close();
      }
    },
  );

  webIt(
    'lets an administrator create an account, disable it and reset its password from the screen',
    async () => {
      const { page, errors, context } = await newPage(b());
      await journey(page, 'accounts', async () => {
        await signIn(page, ACCOUNTS.province);
        await openFromMenu(page, 'Tài khoản và vai trò', '/quan-tri/tai-khoan');
        await expectAccessible(page, 'accounts');
        await screenshot(page, 'accounts-1280');
        // A province steering member grants within the province only: another province is refused, said so.
        await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
        const dialog = page.getByRole('dialog', { name: 'Tạo tài khoản' });
        const login = `theodoi.${Date.now()}@lantoa.vn`;
        await dialog.getByLabel('Email hoặc số điện thoại đăng nhập').fill(login);
        await dialog.getByLabel('Tên hiển thị').fill('Theo dõi xã Đồng Hỷ');
        await dialog.getByLabel('Mật khẩu ban đầu').fill('Tam-thoi-2026!');
        await dialog.getByLabel('Vai trò').selectOption('viewer');
        await dialog.getByLabel('Mã đơn vị hành chính phụ trách').fill('01');
        await dialog.getByRole('button', { name: 'Tạo tài khoản' }).click();
        await dialog.locator('.form-error, .field-error').first().waitFor();
        await expectAccessible(page, 'create account refused');
        const commune = (await apiAs(ACCOUNTS.commune).then((h) => h.get('/api/v1/auth/me'))).body
          .assignments[0].unit.code;
        await dialog.getByLabel('Mã đơn vị hành chính phụ trách').fill(commune);
        await dialog.getByRole('button', { name: 'Tạo tài khoản' }).click();
        await page.getByRole('status').getByText(`Đã tạo tài khoản ${login}.`).waitFor();
        await page.getByLabel('Tìm theo tên hoặc tên đăng nhập').fill(login);
        await page.getByRole('button', { name: 'Tìm', exact: true }).click();
        const row = page.locator('table.data tbody tr', { hasText: login });
        await row.getByText('Theo dõi — Xã Đồng Hỷ').waitFor();
        await row.getByRole('button', { name: /^Khóa/ }).click();
        await row.getByText('Đã khóa').waitFor();
        expect(
          (await new Http(baseUrl()).post('/api/v1/auth/login', { login, password: 'Tam-thoi-2026!' }))
            .status,
        ).not.toBe(200);
        await row.getByRole('button', { name: /^Mở khóa/ }).click();
        await row.getByText('Đang hoạt động').waitFor();
        await row.getByRole('button', { name: /^Đặt lại mật khẩu/ }).click();
        const reset = page.getByRole('dialog', { name: 'Đặt lại mật khẩu' });
        await reset.getByLabel('Mật khẩu mới').fill('Moi-hon-2026!');
        await reset.getByRole('button', { name: 'Đặt lại mật khẩu' }).click();
        await row.getByText('Đã đặt lại mật khẩu.').waitFor();
        expect(
          (await new Http(baseUrl()).post('/api/v1/auth/login', { login, password: 'Moi-hon-2026!' })).status,
        ).toBe(200);
        // The same screen on a phone.
        await page.setViewportSize(PHONE);
        await expectAccessible(page, 'accounts 360');
        await screenshot(page, 'accounts-360');
      });
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  for (const viewport of [PHONE, DESKTOP]) {
    webIt(`shows the department head's pages accessibly at ${viewport.width} px`, async () => {
      const { page, errors, context } = await newPage(b(), viewport);
      await journey(page, `organisation-pages-${viewport.width}`, async () => {
        await signIn(page, ACCOUNTS.communeHead);
        for (const [name, path] of [
          ['organisation', '/don-vi'],
          ['organisation-reports', '/bao-cao-don-vi'],
        ]) {
          await page.goto(`${baseUrl()}${path}`);
          await ready(page);
          await expectAccessible(page, `${name} ${viewport.width}`);
          await screenshot(page, `${name}-${viewport.width}`);
        }
      });
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
