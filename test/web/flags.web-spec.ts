import type { Locator } from 'playwright-core';
import {
  ACCOUNTS,
  apiAs,
  axe,
  sharedBrowser,
  DESKTOP,
  journey,
  newPage,
  openFromMenu,
  PHONE,
  ready,
  screenshot,
  signIn,
  steadyRead,
  vnNumber,
  webIt,
} from './support';

type Api = Awaited<ReturnType<typeof apiAs>>;
type UnitSplit = { unitName: string; figures: { code: string; flaggedShare: number; verified: number }[] };
type TrainerSplit = {
  rank: number;
  trainerId: string;
  fullName: string;
  reachAll: number;
  reachVerified: number;
  flaggedShare: number;
  openFlags: number;
  total: number;
};

/** As the web app writes them (vi-VN; a percentage below 10 with one decimal). */
const percent = {
  format: (share: number) =>
    `${new Intl.NumberFormat('vi-VN', share < 0.1 ? { minimumFractionDigits: 1, maximumFractionDigits: 1 } : { maximumFractionDigits: 0 }).format(share < 0.1 ? share * 100 : Math.round(share * 100))}\u00a0%`,
};
const vnText = (n: number) => new Intl.NumberFormat('vi-VN').format(n);

/**
 * A mark entered now on a session of the seed days ago: a back-filled mark, flagged on arrival. An unmarked or
 * absent learner marked present if there is one (a mark entered again unchanged, or over a QR check-in, may
 * not be a new one), else a present mark entered again.
 */
async function remark(api: Api, programId: string): Promise<string> {
  const classes = (await api.get(`/api/v1/classes?programId=${programId}&limit=20`)).body.items as {
    id: string;
  }[];
  const found: { classId: string; sessionId: string; personId: string; present: boolean }[] = [];
  for (const c of classes) {
    const sheet = (await api.get(`/api/v1/classes/${c.id}/attendance`)).body;
    for (const old of (sheet.sessions as { id: string; startsAt: string }[]).filter(
      (s) => Date.parse(s.startsAt) < Date.now() - 5 * 86_400_000,
    ))
      for (const r of sheet.rows as { person: { id: string }; marks: Record<string, string | null> }[])
        found.push({
          classId: c.id,
          sessionId: old.id,
          personId: r.person.id,
          present: r.marks[old.id] === 'present',
        });
  }
  const pick = found.find((f) => !f.present) ?? found[0];
  if (!pick) throw new Error('no class of the seed has a learner at a session days ago');
  // Always a change, to an attended status: present, or late where present already.
  const before = Date.now() - 1000;
  const put = await api.put(`/api/v1/classes/${pick.classId}/sessions/${pick.sessionId}/attendance`, {
    marks: [{ personId: pick.personId, status: pick.present ? 'late' : 'present' }],
  });
  expect(put.status).toBe(200);
  // The detector's job raises the flag seconds after the mark (docs/flags.md): wait for its evidence to
  // include this mark, bounded (a flag a reviewer has decided keeps its evidence: then no wait succeeds).
  type Backfilled = { evidence: { sessionId?: string; lastReceivedAt?: string } };
  for (let i = 0; i < 40; i++) {
    const open = (await api.get(`/api/v1/flags?programId=${programId}&pattern=backfilled&limit=100`)).body
      .items as Backfilled[];
    if (
      open.some(
        (f) =>
          f.evidence.sessionId === pick.sessionId && Date.parse(f.evidence.lastReceivedAt ?? '') >= before,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return pick.classId;
}

/**
 * The province's steering member opens the data-honesty page: the figures as all / verified / flagged /
 * excluded (the same numbers as the API), the review queue with its evidence, a decision with its reason
 * (then reversed, so other journeys see the seed as it was), and trainers ranked on verified reach.
 */
describe('data-honesty flags in the browser', () => {
  const b = sharedBrowser();

  webIt('shows the verified split, the queue and a reviewer’s decision', async () => {
    const { page, errors } = await newPage(b());
    await journey(page, 'flags', async () => {
      const api = await apiAs(ACCOUNTS.province);
      const program = (await api.get('/api/v1/programs')).body.items[0];
      await remark(api, program.id);
      await signIn(page, ACCOUNTS.province);
      await ready(page);
      await openFromMenu(page, 'Cảnh báo dữ liệu', '/canh-bao');
      await page.getByRole('heading', { name: 'Cảnh báo dữ liệu', level: 1 }).waitFor();
      await page.getByRole('heading', { name: /^Số liệu đã xác minh/ }).waitFor();
      await ready(page);

      // The province's first row is the API's figure, split the same way (the page freshly loaded).
      const unit = new URL(page.url()).searchParams.get('unit') ?? '19';
      const read = await steadyRead(
        async () =>
          (await api.get(`/api/v1/flags/figures?programId=${program.id}&unit=${unit}`)).body.figures[0],
        async (reached) => {
          await page.reload();
          await page.getByRole('heading', { name: /^Số liệu đã xác minh/ }).waitFor();
          await ready(page);
          const row = page.getByRole('row').filter({ hasText: reached.label }).first();
          return (await row.getByRole('cell').allInnerTexts()).slice(1, 5).map(vnNumber);
        },
      );
      const reached = read.api;
      expect(read.steady).toBe(true);
      expect(read.page).toEqual([reached.all, reached.verified, reached.flagged, reached.excluded]);
      expect(reached.verified + reached.flagged + reached.excluded).toBe(reached.all);

      expect([await axe(page)]).toEqual([[]]);
      await page.setViewportSize(DESKTOP);
      await screenshot(page, 'flags');
      await page.setViewportSize(PHONE);
      await ready(page);
      // The page fits the phone: wide tables scroll in their own region.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
        PHONE.width,
      );
      expect([await axe(page)]).toEqual([[]]);
      await screenshot(page, 'flags-phone');
      await page.setViewportSize(DESKTOP);

      const queue = (await api.get(`/api/v1/flags?programId=${program.id}&unit=${unit}&limit=20`)).body;
      expect(queue.total).toBeGreaterThan(0);
      {
        const first = queue.items[0];
        await page.getByRole('button', { name: 'Xem xét' }).first().click();
        const dialog = page.getByRole('dialog', { name: `Xem xét: ${first.patternLabel}` });
        await dialog.getByText(first.summary).waitFor();
        await dialog.getByLabel('Quyết định').selectOption({ label: 'Xác nhận hợp lệ' });
        await dialog.getByLabel('Lý do').fill('Đã đối chiếu sổ ký tên của lớp');
        expect([await axe(page)]).toEqual([[]]);
        await screenshot(page, 'flags-review');
        await dialog.getByRole('button', { name: 'Ghi quyết định' }).click();
        await dialog.waitFor({ state: 'hidden' });
        const decided = (await api.get(`/api/v1/flags/${first.id}`)).body;
        expect(decided).toMatchObject({
          status: 'cleared',
          decisionReason: 'Đã đối chiếu sổ ký tên của lớp',
        });
        expect(decided.history.at(-1)).toMatchObject({
          action: 'flag.clear',
          reason: 'Đã đối chiếu sổ ký tên của lớp',
        });
        // Reversed, so the seed stays as other journeys expect it.
        const back = await api.post(`/api/v1/flags/${first.id}/decision`, {
          decision: 'reopen',
          reason: 'Hoàn tác sau kiểm thử',
        });
        expect(back.status).toBe(200);
      }
      await page.getByRole('heading', { name: 'Xếp hạng giảng viên' }).waitFor();
      expect(errors).toEqual([]);
    });
  });

  webIt(
    'shows each unit’s and trainer’s share of flagged records on Tổng quan and Giảng viên, as the API has them',
    async () => {
      const { page, errors } = await newPage(b());
      await journey(page, 'flags-figures', async () => {
        const api = await apiAs(ACCOUNTS.province);
        const program = (await api.get('/api/v1/programs')).body.items[0];
        await remark(api, program.id);
        await signIn(page, ACCOUNTS.province);
        await ready(page);
        await openFromMenu(page, 'Tổng quan', '/tong-quan');
        await page.getByRole('heading', { name: /^Số liệu đã xác minh/ }).waitFor();
        await ready(page);

        // The unit's figures as all / verified / flagged / excluded: the API's numbers.
        const url = new URL(page.url());
        const unit = url.searchParams.get('unit') ?? '19';
        const query = `programId=${program.id}&unit=${unit}&view=${url.searchParams.get('view')}&period=${url.searchParams.get('period')}`;
        const figures = page.getByRole('region', { name: 'Số liệu đã xác minh' });
        const units = page.getByRole('region', { name: /^Số liệu các đơn vị trực thuộc/ });
        const reached = (c: UnitSplit) => c.figures.find((f) => f.code === 'learners_reached')!;
        const cellsOf = (row: Locator) => row.getByRole('cell').allInnerTexts();
        const read = await steadyRead(
          async () => (await api.get(`/api/v1/flags/figures?${query}`)).body,
          async (split) => {
            await page.reload();
            await page.getByRole('heading', { name: /^Số liệu đã xác minh/ }).waitFor();
            await ready(page);
            const own: string[][] = [];
            for (const f of split.figures)
              own.push(await cellsOf(figures.getByRole('row').filter({ hasText: f.label })));
            const children: string[][] = [];
            for (const child of split.children as UnitSplit[])
              children.push(
                await cellsOf(
                  units
                    .getByRole('row')
                    .filter({ has: page.getByRole('button', { name: child.unitName, exact: true }) }),
                ),
              );
            return { own, children };
          },
        );
        expect(read.steady).toBe(true);
        const split = read.api;
        split.figures.forEach((f: any, i: number) => {
          const cells = read.page.own[i];
          expect(cells.slice(0, 4).map(vnNumber)).toEqual([f.all, f.verified, f.flagged, f.excluded]);
          expect(cells[4]).toBe(percent.format(f.flaggedShare));
        });

        // Each unit's share of flagged learners in the table of units, sortable.
        expect(split.children.some((c: UnitSplit) => reached(c).flaggedShare > 0)).toBe(true);
        (split.children as UnitSplit[]).forEach((child, i) => {
          const f = reached(child);
          expect(read.page.children[i].at(-1)).toBe(
            `${percent.format(f.flaggedShare)} · ${vnText(f.verified)} đã xác minh`,
          );
        });
        const sort = units.getByRole('button', { name: /Người học bị cảnh báo/ });
        await sort.focus();
        await page.keyboard.press('Enter');
        await units
          .locator('th[aria-sort="descending"]')
          .filter({ hasText: 'Người học bị cảnh báo' })
          .waitFor();
        const highest = Math.max(...split.children.map((c: UnitSplit) => reached(c).flaggedShare));
        const first = await units.getByRole('row').nth(1).getByRole('cell').last().innerText();
        expect(first.startsWith(percent.format(highest))).toBe(true);

        expect([await axe(page)]).toEqual([[]]);
        await page.setViewportSize(DESKTOP);
        await ready(page);
        await screenshot(page, 'flags-dashboard');
        await page.setViewportSize(PHONE);
        await ready(page);
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
          PHONE.width,
        );
        expect([await axe(page)]).toEqual([[]]);
        await screenshot(page, 'flags-dashboard-phone');
        await page.setViewportSize(DESKTOP);

        // The leaderboard: each trainer's verified reach and share of flagged records beside the board.
        await openFromMenu(page, 'Giảng viên', '/giang-vien');
        await page.locator('[data-board="reach"]').waitFor();
        const board = (
          await api.get(
            `/api/v1/programs/${program.id}/leaderboard?unit=${unit}&sort=reach&limit=50&offset=0`,
          )
        ).body.items as { trainer: { id: string } }[];
        const ids = board.map((r) => `trainerIds=${r.trainer.id}`).join('&');
        const splits = new Map<string, TrainerSplit>(
          (
            (await api.get(`/api/v1/flags/trainers?programId=${program.id}&unit=${unit}&limit=100&${ids}`))
              .body as TrainerSplit[]
          ).map((r) => [r.trainerId, r]),
        );
        expect(splits.size).toBeGreaterThan(0);
        const rows = page.getByRole('region', { name: 'Bảng xếp hạng giảng viên' }).getByRole('row');
        expect(await rows.count()).toBe(board.length + 1);
        for (const [i, r] of board.entries()) {
          const cells = await rows
            .nth(i + 1)
            .getByRole('cell')
            .allInnerTexts();
          const s = splits.get(r.trainer.id);
          expect(cells.slice(-2)).toEqual(
            s ? [vnText(s.reachVerified), percent.format(s.flaggedShare)] : ['—', '—'],
          );
        }

        // Ranked on verified reach: the API's ranking, row by row.
        await page.getByLabel('Xếp theo').selectOption({ label: 'Số người đã xác minh (không bị cảnh báo)' });
        await page.locator('[data-board="verified"]').waitFor();
        const ranked = (
          await api.get(
            `/api/v1/flags/trainers?programId=${program.id}&unit=${unit}&rank=verified&limit=50&offset=0`,
          )
        ).body as TrainerSplit[];
        expect(ranked.length).toBeGreaterThan(0);
        for (const [i, r] of ranked.entries())
          expect(r.reachVerified).toBeLessThanOrEqual(ranked[i - 1]?.reachVerified ?? Infinity);
        const verifiedRows = page
          .getByRole('region', { name: 'Giảng viên xếp theo số người đã xác minh' })
          .getByRole('row');
        expect(await verifiedRows.count()).toBe(ranked.length + 1);
        for (const [i, r] of ranked.entries()) {
          const row = verifiedRows.nth(i + 1);
          expect(await row.getByRole('rowheader').innerText()).toContain(r.fullName);
          expect(
            (await row.getByRole('cell').allInnerTexts()).map((c, j) => (j === 3 ? c : vnNumber(c))),
          ).toEqual([r.rank, r.reachAll, r.reachVerified, percent.format(r.flaggedShare), r.openFlags]);
        }
        await page
          .getByText(`Tổng cộng ${vnText(ranked[0].total)} giảng viên, xếp theo số người đã xác minh`)
          .waitFor();
        await ready(page);
        expect([await axe(page)]).toEqual([[]]);
        await screenshot(page, 'flags-leaderboard');
        await page.setViewportSize(PHONE);
        await ready(page);
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
          PHONE.width,
        );
        expect([await axe(page)]).toEqual([[]]);
        await screenshot(page, 'flags-leaderboard-phone');
        expect(errors).toEqual([]);
      });
    },
  );

  webIt(
    'lets the trainer see the flags about their classes and explain one on “Tiếp cận của tôi”',
    async () => {
      const { page, errors } = await newPage(b());
      await journey(page, 'flags-trainer', async () => {
        const api = await apiAs(ACCOUNTS.trainer);
        const program = (await api.get('/api/v1/programs')).body.items[0];
        // A mark may turn out not to be new (another journey marked the same learner meanwhile): try the next.
        type Flag = { classId: string; summary: string; id: string; patternLabel: string };
        let mine: { total: number; items: Flag[] } = { total: 0, items: [] };
        let flag: Flag | undefined;
        for (let attempt = 0; attempt < 5 && !flag; attempt++) {
          const classId = await remark(api, program.id);
          mine = (await api.get(`/api/v1/flags?programId=${program.id}&limit=50`)).body;
          flag = mine.items.find((f) => f.classId === classId);
        }
        if (!flag)
          throw new Error(
            `no flag was raised by back-filled marks of the trainer; their open flags: ${JSON.stringify(mine)}`,
          );

        await signIn(page, ACCOUNTS.trainer);
        await ready(page);
        await openFromMenu(page, 'Tiếp cận của tôi', '/tiep-can');
        await page.getByRole('heading', { name: 'Cảnh báo về lớp của tôi' }).waitFor();
        const items = page.getByTestId('my-flags').getByRole('listitem');
        await items.first().waitFor();
        expect(await items.count()).toBe(Math.min(mine.total, 50));
        const item = items.filter({ hasText: flag.summary }).first();
        await item.waitFor();
        await ready(page);
        expect([await axe(page)]).toEqual([[]]);
        await page.setViewportSize(PHONE);
        await ready(page);
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
          PHONE.width,
        );
        expect([await axe(page)]).toEqual([[]]);
        await screenshot(page, 'flags-trainer-phone');

        await item.getByRole('button', { name: /Giải trình/ }).click();
        const dialog = page.getByRole('dialog', { name: `Giải trình: ${flag.patternLabel}` });
        const text = 'Lớp học ở thôn xa, mất sóng; tôi ghi sổ giấy rồi nhập lại khi về xã';
        await dialog.getByLabel('Giải trình').fill(text);
        expect([await axe(page)]).toEqual([[]]);
        await screenshot(page, 'flags-trainer-explain-phone');
        await dialog.getByRole('button', { name: 'Gửi giải trình' }).click();
        await dialog.waitFor({ state: 'hidden' });
        expect((await api.get(`/api/v1/flags/${flag.id}`)).body).toMatchObject({
          explanation: text,
          status: 'open',
        });
        await item.getByText(text).waitFor();
        await page.setViewportSize(DESKTOP);
        await ready(page);
        await screenshot(page, 'flags-trainer');
        expect(errors).toEqual([]);
      });
    },
  );
});
