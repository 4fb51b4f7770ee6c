import type { Page } from 'playwright-core';
import type { Http } from '../support/http';
import {
  apiAs,
  axe,
  baseUrl,
  sharedBrowser,
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
  const b = sharedBrowser();
  let api: Http;
  let classId: string;
  let sessionId: string;
  let people: { id: string; fullName: string }[];

  beforeAll(async () => {
    if (process.env.LANTOA_WEB_SKIP) return;
    api = await apiAs(TRAINER);
    const program = (await api.get('/api/v1/programs')).body.items[0];
    const me = (await api.get('/api/v1/auth/me')).body;
    const trainers = (await api.get(`/api/v1/programs/${program.id}/trainers?limit=500`)).body.items;
    const trainer = trainers.find((t: any) => t.person.id === me.personId);
    expect(trainer?.tier).toBe('commune_core');
    ({ id: classId, sessionId } = await openClass('Lớp Bình dân học AI — nhà văn hóa thôn Suối Hoa'));
    people = [];
    for (const [i, fullName] of NAMES.entries()) {
      const res = await api.post(`/api/v1/classes/${classId}/enrolments`, {
        walkIn: { fullName, birthYear: 1960 + i, phone: phoneOf(i) },
      });
      expect([res.status, res.text]).toEqual([201, expect.any(String)]);
      people.push({ id: res.body.person.id, fullName });
    }
  });
  /** A class of the trainer, in progress: its first session began 40 minutes ago, the second is next week. */
  async function openClass(title: string): Promise<{ id: string; sessionId: string }> {
    const program = (await api.get('/api/v1/programs')).body.items[0];
    const me = (await api.get('/api/v1/auth/me')).body;
    const trainers = (await api.get(`/api/v1/programs/${program.id}/trainers?limit=500`)).body.items;
    const trainer = trainers.find((t: any) => t.person.id === me.personId);
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const created = await api.post('/api/v1/classes', {
      programId: program.id,
      level: 1,
      kind: 'citizen',
      title,
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
    for (const status of ['scheduled', 'in_progress'])
      expect((await api.post(`/api/v1/classes/${created.body.id}/status`, { status })).status).toBe(200);
    return { id: created.body.id, sessionId: created.body.sessions[0].id };
  }

  /** A learner checks in from their own phone: a second browser, the rotating code's page, phone and year. */
  async function checkIn(i: number): Promise<void> {
    const token = (await api.get(`/api/v1/classes/${classId}/sessions/${sessionId}/checkin`)).body;
    const learner = await newPage(b(), PHONE_640);
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
      const { context, page, errors } = await newPage(b(), PHONE_640);
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

  webIt(
    'registers a new person and enrols a kept one offline, warns of a likely duplicate at sync, and sends the outbox only as its owner',
    async () => {
      const second = await openClass('Lớp Bình dân học AI — nhà văn hóa thôn Nà Lại');
      const NEW_PERSON = 'Lầu Thị Dợ';
      const NEW_PHONE = '0387519990';
      // A second registration with a learner's phone under another spelling of her name: a likely duplicate.
      const LOOKALIKE = 'Trần T. Cúc';
      const { context, page, errors } = await newPage(b(), PHONE_640);
      page.on('dialog', (dialog) => void dialog.accept());
      const roster = (name: string) => page.locator('.roster li').filter({ hasText: name });
      await journey(page, 'trainer-offline-people', async () => {
        await signIn(page, TRAINER);
        await ready(page);
        await page.waitForFunction('navigator.serviceWorker.ready.then(() => true)');
        await page.reload();
        await page.waitForFunction('!!navigator.serviceWorker.controller');
        await ready(page);
        // Opening the first class keeps its roster on the phone.
        await page.goto(`${baseUrl()}/lop/${classId}`);
        await ready(page);
        await roster(NAMES[5]).waitFor();
        // The second class and its first session's sheet, opened once online, are kept too.
        await page.goto(`${baseUrl()}/lop/${second.id}/buoi/${second.sessionId}`);
        await ready(page);
        await page.goto(`${baseUrl()}/lop/${second.id}`);
        await ready(page);
        await context.setOffline(true);
        await page.getByText('Đang ngoại tuyến').waitFor();

        // An existing person, found among the kept rosters without diacritics, enrolled.
        await page.getByRole('button', { name: 'Tìm và ghi danh' }).click();
        await page.getByLabel('Tìm theo tên, số điện thoại hoặc CCCD').fill('pham thi hoa');
        await page.getByRole('button', { name: 'Tìm', exact: true }).click();
        await page.getByRole('button', { name: `Ghi danh ${NAMES[5]}` }).click();
        await page.getByText(`Đã ghi danh ${NAMES[5]} trên điện thoại`).waitFor();

        // A new person registered in full, and the look-alike.
        await page.getByRole('button', { name: 'Đăng ký người mới' }).click();
        for (const [fullName, year, phone] of [
          [NEW_PERSON, '1988', NEW_PHONE],
          [LOOKALIKE, '1963', phoneOf(3)],
        ]) {
          await page.getByLabel('Họ và tên').fill(fullName);
          await page.getByLabel('Năm sinh').fill(year);
          await page.getByLabel('Số điện thoại').fill(phone);
          await page.getByRole('button', { name: 'Đăng ký và ghi danh' }).click();
          await page.getByText(`Đã lưu ${fullName} trên điện thoại`).waitFor();
        }
        for (const name of [NAMES[5], NEW_PERSON, LOOKALIKE])
          await roster(name).getByText('Chờ gửi').waitFor();
        await screenshot(page, 'trainer-class-offline-people-360');
        await expectAccessible(page, 'class offline people');

        // All three marked present, and a reload while still offline keeps everything.
        await page.getByRole('link', { name: 'Điểm danh buổi 1' }).click();
        await ready(page);
        for (const name of [NAMES[5], NEW_PERSON, LOOKALIKE])
          await row(page, name).getByRole('button', { name: 'Có mặt', exact: true }).click();
        await page.getByText('6 thay đổi chờ gửi').waitFor();
        await page.reload();
        await ready(page);
        await page.getByText('6 thay đổi chờ gửi').waitFor();
        for (const name of [NAMES[5], NEW_PERSON, LOOKALIKE])
          expect(await pressed(page, name)).toBe('Có mặt');

        // Online: the new person and the kept one are sent with their marks; the look-alike waits, warned.
        await context.setOffline(false);
        await page.getByText('2 thay đổi chờ gửi').waitFor({ timeout: 60_000 });
        await page.goto(`${baseUrl()}/lop/${second.id}`);
        await ready(page);
        const warning = roster(LOOKALIKE).getByRole('alert');
        await warning.getByText('Khi gửi, máy chủ có người có thể trùng').waitFor();
        expect(await warning.innerText()).toContain(`${NAMES[3]} (1963)`);
        await screenshot(page, 'trainer-duplicate-at-sync-360');
        await expectAccessible(page, 'duplicate at sync');
        let sheet = (await api.get(`/api/v1/classes/${second.id}/attendance`)).body;
        const marksOf = (s: any) =>
          Object.fromEntries(s.rows.map((r: any) => [r.person.fullName, r.marks[second.sessionId]]));
        expect(marksOf(sheet)).toEqual({ [NAMES[5]]: 'present', [NEW_PERSON]: 'present' });
        expect(sheet.rows.find((r: any) => r.person.fullName === NAMES[5]).person.id).toBe(people[5].id);
        const registered = (await api.get(`/api/v1/people?q=${NEW_PHONE}&limit=10`)).body;
        expect(registered.items.map((p: any) => [p.fullName, p.birthYear])).toEqual([[NEW_PERSON, 1988]]);

        // The trainer chooses the learner already registered: she is enrolled, no new person is made.
        await warning.getByRole('button', { name: `Ghi danh người này ${NAMES[3]}` }).click();
        await page.getByText('Không có thay đổi chờ gửi').waitFor({ timeout: 60_000 });
        sheet = (await api.get(`/api/v1/classes/${second.id}/attendance`)).body;
        expect(marksOf(sheet)).toEqual({
          [NAMES[5]]: 'present',
          [NEW_PERSON]: 'present',
          [NAMES[3]]: 'present',
        });
        expect(
          (await api.get(`/api/v1/people?q=${encodeURIComponent(LOOKALIKE)}&limit=10`)).body.items,
        ).toEqual([]);

        // A mark made offline, then the trainer signs out and another user signs in on the same phone.
        await page.goto(`${baseUrl()}/lop/${second.id}/buoi/${second.sessionId}`);
        await ready(page);
        await context.setOffline(true);
        await page.getByText('Đang ngoại tuyến').waitFor();
        await row(page, NEW_PERSON).getByRole('button', { name: 'Vắng', exact: true }).click();
        await page.getByText('1 thay đổi chờ gửi').waitFor();
        await page.getByRole('button', { name: 'Menu' }).click();
        await page.getByRole('button', { name: 'Đăng xuất' }).click();
        await page.waitForURL((u) => u.pathname.startsWith('/dang-nhap'));
        await context.setOffline(false);
        await signIn(page, 'bcd.thainguyen@lantoa.vn');
        await page.goto(`${baseUrl()}/lop`);
        await ready(page);
        await page.getByTestId('others').getByText('1 thay đổi của tài khoản khác').waitFor();
        expect(await page.getByTestId('pending').innerText()).toBe('Không có thay đổi chờ gửi');
        await screenshot(page, 'trainer-outbox-other-user-360');
        await expectAccessible(page, 'outbox of another user');
        await page.waitForTimeout(2_000);
        const held = (await api.get(`/api/v1/classes/${second.id}/attendance`)).body;
        expect(marksOf(held)[NEW_PERSON]).toBe('present');

        // Its owner signs in again: the mark is sent as theirs.
        await page.getByRole('button', { name: 'Menu' }).click();
        await page.getByRole('button', { name: 'Đăng xuất' }).click();
        await page.waitForURL((u) => u.pathname.startsWith('/dang-nhap'));
        await signIn(page, TRAINER);
        await page.goto(`${baseUrl()}/lop`);
        await ready(page);
        await page.getByText('Không có thay đổi chờ gửi').waitFor({ timeout: 60_000 });
        const after = (await api.get(`/api/v1/classes/${second.id}/attendance`)).body;
        expect(marksOf(after)[NEW_PERSON]).toBe('absent');
        expect(realErrors(errors)).toEqual([]);
      });
      await context.close();
    },
  );

  webIt("shows the QR code, my reach and the class form; refuses another trainer's class", async () => {
    for (const viewport of [PHONE_640, DESKTOP]) {
      // The desktop browser is set to American English: the app's dates and times stay Vietnamese.
      const { context, page, errors } = await newPage(
        b(),
        viewport,
        viewport === DESKTOP ? 'en-US' : 'vi-VN',
      );
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
        // Where I stand: my commune first, then my province (its own answer, after the page's first one).
        await page.getByTestId('standing').locator('li').nth(1).waitFor();
        const standing = await page.getByTestId('standing').locator('li').allInnerTexts();
        expect(standing).toEqual([
          expect.stringMatching(/^Hạng \d+\/\d+ trong Xã /),
          expect.stringMatching(/^Hạng \d+\/\d+ trong Tỉnh Thái Nguyên$/),
        ]);
        // The whole boards of my commune and my province, my own row marked in each.
        const boards = page.getByTestId('leaderboard');
        await boards.nth(1).locator('tbody tr').first().waitFor();
        expect(await boards.count()).toBe(2);
        for (const i of [0, 1]) {
          // When I am below the board's first rows, my row comes with the rows around it, a moment later.
          const mine = boards.nth(i).locator('tbody tr[aria-current="true"]');
          await mine.first().waitFor();
          expect(await mine.count()).toBe(1);
          expect(await mine.innerText()).toContain('(tôi)');
        }
        const communeRows = await boards.nth(0).locator('tbody tr').count();
        expect(await boards.nth(1).locator('tbody tr').count()).toBeGreaterThanOrEqual(communeRows);
        await screenshot(page, `trainer-reach-${w}`);
        await expectAccessible(page, `reach ${w}`);

        await page.goto(`${baseUrl()}/lop/moi`);
        await ready(page);
        // Days and times are written the Vietnamese way, whatever the browser's language.
        expect(await page.getByLabel('Buổi 1: ngày').inputValue()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
        expect(await page.getByLabel('Từ').first().inputValue()).toBe('08:00');
        await page.getByLabel('Buổi 1: ngày').fill('31/02/2027');
        await page.getByText('Hãy nhập theo dạng ngày/tháng/năm, ví dụ 07/12/2026').waitFor();
        await page.getByLabel('Buổi 1: ngày').fill('07/01/2027');
        await page.getByText('Thứ Năm').first().waitFor();
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
          await page.getByLabel('Tệp Excel đã điền').setInputFiles({
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

  webIt(
    "sets the signer and seal of a province's certificates from the steering committee's page",
    async () => {
      const { PNG } = await import('pngjs');
      const png = new PNG({ width: 120, height: 120 });
      for (let y = 0; y < 120; y++)
        for (let x = 0; x < 120; x++) {
          const d = Math.hypot(x - 60, y - 60);
          const i = (y * 120 + x) * 4;
          png.data.set([210, 30, 30, d < 58 && d > 48 ? 230 : 0], i);
        }
      for (const viewport of [PHONE_640, DESKTOP]) {
        const { context, page, errors } = await newPage(b(), viewport);
        const w = viewport.width;
        await journey(page, `certificate-signers-${w}`, async () => {
          await signIn(page, 'bcd.thainguyen@lantoa.vn');
          await page.goto(`${baseUrl()}/chu-ky`);
          await ready(page);
          await page.getByLabel('Chức vụ người ký').fill('Trưởng Ban Chỉ đạo');
          await page.getByLabel('Họ và tên người ký').fill(w > 360 ? 'Lương Thị Hiền' : 'Hà Văn Thắng');
          await page.getByLabel('Ảnh con dấu (PNG hoặc JPEG, tối đa 300 KB)').setInputFiles({
            name: 'con-dau.png',
            mimeType: 'image/png',
            buffer: PNG.sync.write(png),
          });
          await page.getByRole('button', { name: 'Lưu' }).click();
          await page
            .getByRole('status')
            .getByText(/^Đã lưu người ký cho Tỉnh Thái Nguyên\./)
            .waitFor();
          const row = page.locator('table.data tbody tr').filter({ hasText: 'Tỉnh Thái Nguyên' });
          await row.getByRole('img', { name: 'Con dấu của đơn vị mã 19' }).waitFor();
          expect(await row.innerText()).toContain(w > 360 ? 'Lương Thị Hiền' : 'Hà Văn Thắng');
          await screenshot(page, `certificate-signers-${w}`);
          await expectAccessible(page, `certificate signers ${w}`);
          expect(realErrors(errors)).toEqual([]);
        });
        await context.close();
      }
    },
  );
});
