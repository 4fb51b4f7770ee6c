import {
  ACCOUNTS,
  apiAs,
  axe,
  baseUrl,
  sharedBrowser,
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

/**
 * The campaign's plan as the province reads it: every target with the figure of its own period (a year, a
 * phase, "by 2027"), its % and the pace it needs — the same lines the API gives; and the dashboard of a
 * phase of the program, chosen from the period list.
 */
describe('the plan of a province, period by period', () => {
  const b = sharedBrowser();

  webIt('lists every target with its actual and pace, and reads a phase on the dashboard', async () => {
    const { page, errors } = await newPage(b());
    await journey(page, 'plan', async () => {
      const api = await apiAs(ACCOUNTS.viewer);
      const program = (await api.get('/api/v1/programs')).body.items[0];
      await signIn(page, ACCOUNTS.viewer);
      await ready(page);
      await openFromMenu(page, 'Kế hoạch', '/ke-hoach');
      const plan = (await api.get(`/api/v1/programs/${program.id}/plan?unit=19`)).body;
      // Another journey sets a certificates target at the same time: the other lines are compared.
      const lines = plan.lines.filter((l: any) => l.indicator !== 'certificates_issued');
      expect(lines.map((l: any) => l.period.code)).toEqual(
        expect.arrayContaining(['2026', '2027', '..2027', 'P2']),
      );
      await page.locator('table.data tbody tr').first().waitFor();
      const shown: string[][] = [];
      for (const row of await page.locator('table.data tbody tr').all())
        shown.push(await row.locator('th, td').allInnerTexts());
      for (const line of lines) {
        const name = line.segmentName ? `${line.indicatorName} — ${line.segmentName}` : line.indicatorName;
        const row = shown.find((cells) => cells[0] === name && cells[1] === line.period.label);
        expect([line.indicator, line.period.code, row && vnNumber(row[2])]).toEqual([
          line.indicator,
          line.period.code,
          line.actual,
        ]);
      }
      // The whole campaign's target, by the end of 2027, with the pace it needs.
      const cumulative = lines.find((l: any) => l.period.code === '..2027');
      expect(cumulative.pace.neededPerWeek).toBeGreaterThan(0);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'plan');
      await page.setViewportSize(PHONE);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'plan-phone');
      await page.setViewportSize({ width: 1280, height: 900 });

      // The dashboard of the core-training phase, chosen from the list of periods.
      await page.goto(`${baseUrl()}/tong-quan`);
      await ready(page);
      await page.getByLabel('Kỳ báo cáo').selectOption('P2');
      await page.waitForURL((u) => u.searchParams.get('period') === 'P2');
      await ready(page);
      const phase = (await api.get(`/api/v1/programs/${program.id}/kpi?unit=19&period=P2&view=recorded`))
        .body;
      await page
        .locator('figcaption', {
          hasText: `Người học được tiếp cận, lũy kế theo tháng — ${phase.period.label}`,
        })
        .waitFor();
      const reached = phase.indicators.find((i: any) => i.code === 'learners_reached').actual;
      expect(
        vnNumber(await page.locator('[aria-labelledby="ind-learners_reached"] .figure').innerText()),
      ).toBe(reached);
      expect(await axe(page)).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});
