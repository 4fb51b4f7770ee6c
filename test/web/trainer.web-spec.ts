import type { Browser, Page } from 'playwright-core';
import type { Http } from '../support/http';
import {
  apiAs,
  axe,
  baseUrl,
  browser,
  DESKTOP,
  journey,
  newPage,
  ready,
  screenshot,
  signIn,
  webIt,
} from './support';

/** The commune trainer of the demo seed, with classes of their own. */
const TRAINER = 'giangvien.xa@lantoa.vn';
const PHONE_640 = { width: 360, height: 640 };

const NAMES = [
  'Hoàng Thị Lan',
  'Lò Văn Sáng',
  'Nguyễn Văn Bình',
  'Trần Thị Cúc',
  'Đặng Văn Dũng',
  'Phạm Thị Hoa',
  'Vũ Văn Hải',
  'Bùi Thị Hằng',
  'Đỗ Văn Khánh',
  'Hà Thị Liên',
  'Ma Văn Long',
  'Triệu Thị Mai',
  'Lương Văn Nam',
  'Nông Thị Oanh',
  'Dương Văn Phúc',
  'Lý Thị Quyên',
  'Mông Văn Sơn',
  'Chu Thị Thanh',
  'Tạ Văn Tuấn',
  'Quan Thị Yến',
];
const WALK_IN = 'Sầm Văn Pấu';
const LABEL = { present: 'Có mặt', late: 'Muộn', excused: 'Có phép', absent: 'Vắng' } as const;
type Mark = keyof typeof LABEL;

/** What the phone marks for learner i: learner 0 "absent" (against a check-in the phone has not seen). */
function planned(i: number): Mark {
  if (i === 0) return 'absent';
  return (['present', 'present', 'late', 'excused', 'absent'] as const)[i % 5];
}

const phoneOf = (i: number) => `0387${String(510_000 + i)}`;

async function expectAccessible(page: Page, name: string): Promise<void> {
  expect([name, await axe(page)]).toEqual([name, []]);
}

/** Console noise of the network being off (the service worker answering from its copy) is not a failure. */
function realErrors(errors: string[]): string[] {
  return errors.filter((e) => !/FetchEvent|ERR_INTERNET_DISCONNECTED|net::ERR_|Failed to fetch/.test(e));
}

describe("the trainer's phone app", () => {
  let b: Browser;
  let api: Http;
  let classId: string;
  let sessionId: string;
  let people: { id: string; fullName: string }[];

  beforeAll(async () => {
    if (process.env.LANTOA_WEB_SKIP) return;
    b = await browser();
    api = await apiAs(TRAINER);
    const program = (await api.get('/api/v1/programs')).body.items[0];
    const me = (await api.get('/api/v1/auth/me')).body;
    const trainers = (await api.get(`/api/v1/programs/${program.id}/trainers?limit=500`)).body.items;
    const trainer = trainers.find((t: any) => t.person.id === me.personId);
    expect(trainer?.tier).toBe('commune_core');
    // A class whose first session began 40 minutes ago (marks and check-ins are taken) and a second next week.
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const created = await api.post('/api/v1/classes', {
      programId: program.id,
      level: 1,
      kind: 'citizen',
      title: 'Lớp Bình dân học AI — nhà văn hóa thôn Suối Hoa',
      leadTrainerId: trainer.id,
      unitCode: trainer.homeUnit.code,
      venueType: 'cultural_house',
      venueAddress: 'Nhà văn hóa thôn Suối Hoa',
      mode: 'in_person',
      capacity: 40,
      sessions: [
        { startsAt: iso(now - 40 * 60_000), endsAt: iso(now + 80 * 60_000) },
        { startsAt: iso(now + 7 * 86_400_000), endsAt: iso(now + 7 * 86_400_000 + 90 * 60_000) },
      ],
    });
    expect([created.status, created.text]).toEqual([201, expect.any(String)]);
    classId = created.body.id;
    sessionId = created.body.sessions[0].id;
    for (const status of ['scheduled', 'in_progress'])
      expect((await api.post(`/api/v1/classes/${classId}/status`, { status })).status).toBe(200);
    people = [];
    for (const [i, fullName] of NAMES.entries()) {
      const res = await api.post(`/api/v1/classes/${classId}/enrolments`, {
        walkIn: { fullName, birthYear: 1960 + i, phone: phoneOf(i) },
      });
      expect([res.status, res.text]).toEqual([201, expect.any(String)]);
      people.push({ id: res.body.person.id, fullName });
    }
  });
  afterAll(() => b?.close());

  /** A learner checks in from their own phone: a second browser, the rotating code's page, phone and year. */
  async function checkIn(i: number): Promise<void> {
    const token = (await api.get(`/api/v1/classes/${classId}/sessions/${sessionId}/checkin`)).body;
    const learner = await newPage(b, PHONE_640);
    await learner.page.goto(`${baseUrl()}${new URL(token.url).pathname}`);
    await learner.page.getByLabel('Số điện thoại hoặc số CCCD').fill(phoneOf(i));
    await learner.page.getByLabel('Năm sinh').fill(String(1960 + i));
    await learner.page.getByRole('button', { name: 'Điểm danh' }).click();
    await learner.page.waitForLoadState();
    expect(await learner.page.getByRole('alert').count()).toBe(0);
    await learner.context.close();
  }

  function row(page: Page, name: string) {
    return page.getByTestId('mark-row').filter({ hasText: name });
  }

  async function pressed(page: Page, name: string): Promise<string | null> {
    const button = row(page, name).locator('button[aria-pressed="true"]');
    return (await button.count()) ? button.innerText() : null;
  }

  webIt(
    'runs a class with the network off: marks, a walk-in and a reload kept on the phone, then sent once',
    async () => {
      const { context, page, errors } = await newPage(b, PHONE_640);
      await journey(page, 'trainer-offline', async () => {
        await signIn(page, TRAINER);
        await page.waitForURL((u) => u.pathname === '/lop');
        await ready(page);
        // The service worker takes the page over; from then on what the page reads is kept for offline use.
        await page.waitForFunction('navigator.serviceWorker.ready.then(() => true)');
        await page.reload();
        await page.waitForFunction('!!navigator.serviceWorker.controller');
        await ready(page);
        await screenshot(page, 'trainer-classes-360');
        await expectAccessible(page, 'my classes');

        // Today's class comes first, with its session to mark.
        const today = page.locator('.class-list').first();
        await today.getByRole('link', { name: 'Lớp Bình dân học AI — nhà văn hóa thôn Suối Hoa' }).click();
        await ready(page);
        await screenshot(page, 'trainer-class-360');
        await expectAccessible(page, 'class');
        await page.getByRole('link', { name: 'Điểm danh buổi 1' }).click();
        await ready(page);
        await row(page, NAMES[19]).waitFor();

        // A check-in made from another phone shows on the trainer's list as it arrives.
        await checkIn(1);
        await row(page, NAMES[1]).getByText('Đã quét QR').waitFor({ timeout: 20_000 });
        expect(await pressed(page, NAMES[1])).toBe('Muộn');
        await screenshot(page, 'trainer-session-360');
        await expectAccessible(page, 'session');

        // Airplane mode. Meanwhile learner 0 checks in: the phone does not know.
        await context.setOffline(true);
        await page.getByText('Đang ngoại tuyến').waitFor();
        await checkIn(0);

        for (const [i, name] of NAMES.entries())
          await row(page, name)
            .getByRole('button', { name: LABEL[planned(i)], exact: true })
            .click();
        await page.getByTestId('pending').getByText('20 thay đổi chờ gửi', { exact: true }).waitFor();

        // A walk-in, registered offline, marked present.
        await page.getByRole('link', { name: 'Thêm học viên' }).click();
        await ready(page);
        await page.getByRole('button', { name: 'Người đến trực tiếp' }).click();
        await page.getByLabel('Họ và tên').fill(WALK_IN);
        await page.getByLabel('Năm sinh').fill('1979');
        await page.getByRole('button', { name: 'Thêm người đến trực tiếp' }).click();
        await page.locator('.roster li').filter({ hasText: WALK_IN }).getByText('Chờ gửi').waitFor();
        await screenshot(page, 'trainer-class-offline-360');
        await expectAccessible(page, 'class offline');
        await page.getByRole('link', { name: 'Điểm danh buổi 1' }).click();
        await ready(page);
        await row(page, WALK_IN).getByRole('button', { name: 'Có mặt', exact: true }).click();
        await page.getByText('22 thay đổi chờ gửi').waitFor();

        // A reload, still offline: the app, the list and every mark are still there.
        await page.reload();
        await ready(page);
        await page.getByText('22 thay đổi chờ gửi').waitFor();
        for (const [i, name] of NAMES.entries())
          expect([name, await pressed(page, name)]).toEqual([name, LABEL[planned(i)]]);
        expect(await pressed(page, WALK_IN)).toBe('Có mặt');
        await screenshot(page, 'trainer-session-offline-360');
        await expectAccessible(page, 'session offline');

        // Back online: everything is sent.
        await context.setOffline(false);
        await page.getByText('Không có thay đổi chờ gửi').waitFor({ timeout: 60_000 });

        // The server holds exactly those marks, the walk-in once, and the check-in the phone had not seen.
        const sheet = (await api.get(`/api/v1/classes/${classId}/attendance`)).body;
        const byName = new Map<string, any>(sheet.rows.map((r: any) => [r.person.fullName, r]));
        expect(sheet.rows.filter((r: any) => r.person.fullName === WALK_IN)).toHaveLength(1);
        expect(byName.get(WALK_IN).marks[sessionId]).toBe('present');
        expect(byName.get(NAMES[0]).marks[sessionId]).toBe('late');
        expect(byName.get(NAMES[0]).methods[sessionId]).toBe('qr');
        for (const [i, name] of NAMES.entries())
          if (i > 0) expect([name, byName.get(name).marks[sessionId]]).toEqual([name, planned(i)]);
        expect(sheet.rows).toHaveLength(21);
        const walkIns = (await api.get(`/api/v1/people?q=${encodeURIComponent(WALK_IN)}&limit=10`)).body;
        expect(walkIns.total).toBe(1);

        // The conflict is shown on the phone, with what the server kept.
        const conflict = row(page, NAMES[0]).getByTestId('answer');
        await conflict.waitFor();
        expect(await conflict.innerText()).toMatch(
          /Xung đột — máy chủ giữ: Đi muộn \(học viên tự điểm danh bằng mã QR\)/,
        );
        await screenshot(page, 'trainer-session-synced-360');
        await expectAccessible(page, 'session synced');

        // The same outbox sent again changes nothing: every mark is answered as already there.
        const before = JSON.stringify(sheet.rows.map((r: any) => [r.marks, r.versions]));
        const outbox: any[] = await page.evaluate(`new Promise((resolve, reject) => {
          const open = indexedDB.open('lantoa-trainer');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction('outbox').objectStore('outbox').getAll();
            all.onsuccess = () => resolve(all.result);
          };
        })`);
        const marks = outbox
          .filter((i) => i.kind === 'mark')
          .map(({ clientId, sessionId: s, personId, status, recordedAt, baseVersion }) => ({
            clientId,
            sessionId: s,
            personId,
            status,
            recordedAt,
            baseVersion,
          }));
        expect(marks).toHaveLength(21);
        const again = await api.post('/api/v1/attendance/sync', { marks });
        expect(again.status).toBe(200);
        expect(new Set(again.body.results.map((r: any) => r.result))).toEqual(new Set(['duplicate']));
        const after = (await api.get(`/api/v1/classes/${classId}/attendance`)).body;
        expect(JSON.stringify(after.rows.map((r: any) => [r.marks, r.versions]))).toBe(before);
        expect(realErrors(errors)).toEqual([]);
      });
      await context.close();
    },
  );

  webIt("shows the QR code, my reach and the class form; refuses another trainer's class", async () => {
    for (const viewport of [PHONE_640, DESKTOP]) {
      const { context, page, errors } = await newPage(b, viewport);
      const w = viewport.width;
      await journey(page, `trainer-pages-${w}`, async () => {
        await signIn(page, TRAINER);
        await ready(page);
        if (w > 360) {
          await screenshot(page, `trainer-classes-${w}`);
          await page.goto(`${baseUrl()}/lop/${classId}`);
          await ready(page);
          await screenshot(page, `trainer-class-${w}`);
          await page.goto(`${baseUrl()}/lop/${classId}/buoi/${sessionId}`);
          await ready(page);
          await screenshot(page, `trainer-session-${w}`);
          await expectAccessible(page, `session ${w}`);
        }
        await page.goto(`${baseUrl()}/lop/${classId}/buoi/${sessionId}/qr`);
        await ready(page);
        await page.getByRole('img', { name: /Mã QR điểm danh/ }).waitFor();
        await screenshot(page, `trainer-qr-${w}`);
        await expectAccessible(page, `qr ${w}`);

        await page.goto(`${baseUrl()}/tiep-can`);
        await ready(page);
        expect(await page.getByTestId('direct-reach').innerText()).toMatch(/\/ 1\.500 người/);
        // Where I stand: my commune first, then my province.
        const standing = await page.getByTestId('standing').locator('li').allInnerTexts();
        expect(standing).toEqual([
          expect.stringMatching(/^Hạng \d+\/\d+ trong Xã /),
          expect.stringMatching(/^Hạng \d+\/\d+ trong Tỉnh Thái Nguyên$/),
        ]);
        await screenshot(page, `trainer-reach-${w}`);
        await expectAccessible(page, `reach ${w}`);

        await page.goto(`${baseUrl()}/lop/moi`);
        await ready(page);
        await page.getByRole('button', { name: 'Mở lớp' }).click();
        await page.getByText('Hãy sửa các ô được đánh dấu.').waitFor();
        await screenshot(page, `trainer-new-class-${w}`);
        await expectAccessible(page, `new class ${w}`);

        // Editing the class: the form opens with its values, and the change is saved.
        await page.goto(`${baseUrl()}/lop/${classId}/sua`);
        await ready(page);
        expect(await page.getByLabel('Địa chỉ').inputValue()).toBe('Nhà văn hóa thôn Suối Hoa');
        await page.getByLabel('Số chỗ').fill('35');
        await screenshot(page, `trainer-edit-class-${w}`);
        await expectAccessible(page, `edit class ${w}`);
        await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
        await page.waitForURL((u) => u.pathname === `/lop/${classId}`);
        await ready(page);
        expect((await api.get(`/api/v1/classes/${classId}`)).body.capacity).toBe(35);

        if (w === 360) {
          // The Excel sheet: the class's template sent back is previewed before anything is written.
          const template = await fetch(`${baseUrl()}/api/v1/classes/${classId}/attendance/template`, {
            headers: { authorization: `Bearer ${api.token}` },
          });
          expect(template.status).toBe(200);
          await page.locator('#import-file').setInputFiles({
            name: 'diem-danh.xlsx',
            mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            buffer: Buffer.from(await template.arrayBuffer()),
          });
          await page.getByRole('button', { name: 'Xem trước' }).click();
          await page.getByText(/^Xem trước: \d+ dòng, 0 người mới, 0 ghi danh mới/).waitFor();
          await page.getByRole('button', { name: 'Ghi vào lớp' }).waitFor();

          // Certificates of a finished class: issued to its completers, each PDF downloadable.
          const mine = (await api.get('/api/v1/classes?limit=500')).body.items;
          let finished: any = null;
          for (const c of mine.filter((k: any) => k.status === 'completed' && k.kind === 'citizen')) {
            const enrolled = (await api.get(`/api/v1/classes/${c.id}/enrolments`)).body;
            if (enrolled.some((e: any) => e.status === 'completed')) {
              finished = c;
              break;
            }
          }
          expect(finished).not.toBeNull();
          await page.goto(`${baseUrl()}/lop/${finished.id}`);
          await ready(page);
          await page.getByRole('button', { name: 'Cấp giấy cho người hoàn thành' }).click();
          await page.getByText(/^Đã cấp \d+ giấy mới\.$/).waitFor();
          const pdf = page.getByRole('button', { name: /^Tải PDF/ }).first();
          await pdf.waitFor();
          const [download] = await Promise.all([page.waitForEvent('download'), pdf.click()]);
          expect(download.suggestedFilename()).toMatch(/\.pdf$/);
          await screenshot(page, `trainer-certificates-${w}`);
          await expectAccessible(page, `certificates ${w}`);
        }

        // Another trainer's class, by its address: not shown.
        const province = await apiAs('bcd.thainguyen@lantoa.vn');
        const classes = (await province.get('/api/v1/classes?limit=50')).body.items;
        const others = classes.find((c: any) => c.id !== classId && c.leadTrainer.id !== undefined);
        const mine = (await api.get('/api/v1/classes?limit=500')).body.items.map((c: any) => c.id);
        const foreign = classes.find((c: any) => !mine.includes(c.id)) ?? others;
        await page.goto(`${baseUrl()}/lop/${foreign.id}`);
        await page.getByRole('alert').getByText('Không tìm thấy').waitFor();
        expect(await page.getByText(foreign.title).count()).toBe(0);
        expect(realErrors(errors)).toEqual([]);
      });
      await context.close();
    }
  });
});
