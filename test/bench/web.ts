/**
 * The web app's speed in headless Chromium on this machine: the JavaScript the login page and the dashboard
 * load (gzipped, as the server sends it), and the time from pressing "Đăng nhập" to the dashboard complete
 * (every card, chart and table drawn from the KPI answer).
 *
 *   npm run bench:web                          the demo province, embedded database (a fresh data folder)
 *   npm run bench:web -- --url postgres://…    the benchmark dataset (npm run bench:generate), as its admin
 *
 * Figures go into docs/benchmarks.md; the budgets (issue "The web app, part 1") are 250 KB of initial
 * JavaScript and a complete dashboard in 1 s on the demo, 2 s on the benchmark dataset.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { scriptBytes, stopService, waitFor } from './harness';
import { BENCH_ADMIN } from './dataset';

const ROOT = join(__dirname, '../..');
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    runs: { type: 'string', default: '7' },
    port: { type: 'string', default: '3310' },
  },
});
const PORT = Number(values.port);
const BASE = `http://localhost:${PORT}`;
const RUNS = Number(values.runs);

function start(): { child: ChildProcess; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'lantoa-bench-web-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    PORT: String(PORT),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  if (values.url) {
    Object.assign(env, {
      NODE_ENV: 'production',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
      DATABASE_URL: values.url,
      SEED_DEMO: 'false',
      UNITS_SEED_FILE: 'none',
      ADMIN_LOGIN: BENCH_ADMIN.login,
      ADMIN_PASSWORD: BENCH_ADMIN.password,
      COOKIE_SECURE: 'true',
      LOGIN_LOCK_AFTER: '100',
    });
  }
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/api/src/main.js')], { env, stdio: 'inherit' });
  return { child, dataDir };
}

/** Where the time went in the last run: each request, from the press of the button. */
async function waterfall(page: Page, started: number): Promise<string> {
  const entries = await page.evaluate<{ name: string; start: number; end: number }[]>(`
    performance.getEntriesByType('resource').map((e) => ({
      name: new URL(e.name).pathname, start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.responseEnd,
    }))`);
  return entries
    .filter((e) => e.end >= started)
    .map(
      (e) =>
        `  ${String(Math.round(e.start - started)).padStart(5)} → ${String(Math.round(e.end - started)).padStart(5)} ms  ${e.name}`,
    )
    .join('\n');
}

/**
 * Measured inside the page too, without the test driver's polling: from the form's submit event to the first
 * frame where the dashboard is ready and its table has a row.
 */
const IN_PAGE_CLOCK = `
  addEventListener('submit', () => { window.__submitted = performance.now(); }, true);
  new MutationObserver(() => {
    if (window.__submitted && !window.__complete &&
        document.querySelector('[data-ready="true"]') && document.querySelector('table.data tbody tr'))
      window.__complete = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true });`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const login = values.url
    ? BENCH_ADMIN
    : { login: 'bcd.thainguyen@lantoa.vn', password: 'LanToa-Demo-2026' };
  const { child, dataDir } = start();
  const browser = await launchChromium();
  try {
    await waitFor(`${BASE}/health`, 300);
    const times: number[] = [];
    const inPage: number[] = [];
    let initial = { transferred: 0, decoded: 0, files: 0 };
    let dashboard = { transferred: 0, decoded: 0, files: 0 };
    for (let run = 0; run <= RUNS; run++) {
      // A new context each run: nothing cached, as a first visit after signing in on a new computer.
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
      const page = await context.newPage();
      await page.addInitScript(IN_PAGE_CLOCK);
      await page.goto(`${BASE}/dang-nhap`);
      await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
      initial = await scriptBytes(page);
      await page.getByLabel('Email hoặc số điện thoại').fill(login.login);
      await page.getByLabel('Mật khẩu', { exact: true }).fill(login.password);
      const started = Date.now();
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.locator('[data-ready="true"]').first().waitFor({ timeout: 60_000 });
      await page.locator('table.data tbody tr').first().waitFor();
      const elapsed = Date.now() - started;
      const measured = Math.round(await page.evaluate<number>('window.__complete - window.__submitted'));
      dashboard = await scriptBytes(page);
      if (run === RUNS) console.log(await waterfall(page, started));
      // The first run warms the server (its caches, a cold planner): not counted.
      if (run > 0) {
        times.push(elapsed);
        inPage.push(measured);
      }
      console.log(
        `run ${run}${run === 0 ? ' (warm-up)' : ''}: dashboard complete ${elapsed} ms after "Đăng nhập" ` +
          `(${measured} ms in the page)`,
      );
      await context.close();
    }
    console.log(
      JSON.stringify(
        {
          dataset: values.url ? 'benchmark (DESIGN §5)' : 'demo (embedded)',
          loginPageJs: { gzipped: kb(initial.transferred), raw: kb(initial.decoded), files: initial.files },
          dashboardJs: {
            gzipped: kb(dashboard.transferred),
            raw: kb(dashboard.decoded),
            files: dashboard.files,
          },
          dashboardCompleteMs: {
            min: Math.min(...times),
            median: median(times),
            max: Math.max(...times),
            runs: times.length,
          },
          inPageMs: { min: Math.min(...inPage), median: median(inPage), max: Math.max(...inPage) },
        },
        null,
        2,
      ),
    );
  } finally {
    await browser.close();
    await stopService(child, dataDir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
