import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { toolAvailable } from '../support/tools';
import {
  ACCOUNTS,
  axe,
  baseUrl,
  sharedBrowser,
  DESKTOP,
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
 * The province's steering committee downloads the consolidated report of the reports approved under it from
 * the reports page, in the browser against the real API and the demo seed.
 */
describe('the consolidated report from the steering reports page', () => {
  const b = sharedBrowser();
  for (const [viewport, size] of [
    [DESKTOP, 1280],
    [PHONE, 360],
  ] as const) {
    webIt(
      `downloads the consolidated report of a quarter (${size} px)`,
      async () => {
        const { page, errors } = await newPage(b(), viewport);
        await journey(page, `consolidated-report-${size}`, async () => {
          await signIn(page, ACCOUNTS.province);
          if (size === 360) {
            await page.goto(`${baseUrl()}/bao-cao`);
            await ready(page);
          } else await openFromMenu(page, 'Báo cáo tiến độ', '/bao-cao');
          const section = page.getByRole('region', { name: 'Báo cáo tổng hợp' });
          const period = await section.getByLabel('Kỳ tổng hợp').inputValue();
          expect(period).toMatch(/^\d{4}-Q[1-4]$/);
          expect([`${size}`, await axe(page)]).toEqual([`${size}`, []]);
          const overflow = await page.evaluate<number>(
            'document.documentElement.scrollWidth - window.innerWidth',
          );
          expect(overflow).toBe(0);
          await screenshot(page, `consolidated-report-${size}`);
          await section.screenshot({ path: join(SCREENSHOTS, `consolidated-report-section-${size}.png`) });
          const download = page.waitForEvent('download');
          await section.getByRole('button', { name: 'Tải báo cáo tổng hợp (PDF)' }).click();
          const file = await (await download).path();
          expect((await download).suggestedFilename()).toBe(`bao-cao-tong-hop-19-${period}.pdf`);
          if (toolAvailable('pdftotext', 'reading the consolidated report', 'poppler-utils')) {
            const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(
              /\s+/g,
              ' ',
            );
            expect(text).toContain('BÁO CÁO TỔNG HỢP');
            const [year, quarter] = period.split('-Q');
            expect(text).toContain(`quý ${['I', 'II', 'III', 'IV'][Number(quarter) - 1]} năm ${year}`);
            expect(text).toContain('THỦ TRƯỞNG ĐƠN VỊ');
          }
          expect(errors).toEqual([]);
        });
        await page.context().close();
      },
      120_000,
    );
  }
});
