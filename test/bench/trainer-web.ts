/**
 * The trainer's phone app on a cheap phone: the JavaScript it loads (gzipped, as the server sends it), the
 * first load of "Lớp của tôi" on emulated slow 3G with a 4× CPU slowdown (Chrome DevTools Protocol: Chrome
 * DevTools' "Slow 3G" — 2,000 ms latency, 50 KB/s each way), and the repeat load from the service worker,
 * on the same slow network and with the network off.
 *
 *   npm run bench:trainer        the demo province, embedded database (a fresh data folder)
 *
 * Figures go into docs/benchmarks.md; the budgets (issue "The web app, part 2") are 150 KB of JavaScript,
 * a first load within 5 s and a repeat load within 1 s.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { scriptBytes, stopService, waitFor } from './harness';

const ROOT = join(__dirname, '../..');
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, port: { type: 'string', default: '3311' } },
});
const PORT = Number(values.port);
const BASE = `http://localhost:${PORT}`;
const RUNS = Number(values.runs);
const TRAINER = { login: 'giangvien.xa@lantoa.vn', password: 'LanToa-Demo-2026' };
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: 50_000, uploadThroughput: 50_000 };

function start(): { child: ChildProcess; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'lantoa-bench-trainer-'));
  const env = {
    PATH: process.env.PATH ?? '',
    PORT: String(PORT),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/api/src/main.js')], { env, stdio: 'inherit' });
  return { child, dataDir };
}

async function throttle(context: BrowserContext, page: Page, network: typeof SLOW_3G): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', network);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return cdp;
}

/** Loads /lop and waits for the list of classes: milliseconds from navigation start. */
async function load(page: Page, reload: boolean): Promise<number> {
  const started = Date.now();
  if (reload) await page.reload({ waitUntil: 'commit' });
  else await page.goto(`${BASE}/lop`, { waitUntil: 'commit' });
  await page.locator('[data-ready="true"]').first().waitFor({ timeout: 120_000 });
  const elapsed = Date.now() - started;
  // Where the time went: the document's arrival and the scripts' evaluation (DOMContentLoaded waits for them).
  const nav = await page.evaluate<{ responseEnd: number; domContentLoaded: number }>(`(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return { responseEnd: Math.round(n.responseEnd), domContentLoaded: Math.round(n.domContentLoadedEventEnd) };
  })()`);
  if (process.env.WATERFALL)
    console.log(
      await page.evaluate<string>(`performance.getEntriesByType('resource')
        .map((e) => '    ' + Math.round(e.startTime) + ' → ' + Math.round(e.responseEnd) + ' ' + new URL(e.name).pathname)
        .join(String.fromCharCode(10))`),
    );
  console.log(
    `  ${reload ? 'reload' : 'first'}: document ${nav.responseEnd} ms, scripts run ${nav.domContentLoaded} ms, ready ${elapsed} ms`,
  );
  return elapsed;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const { child, dataDir } = start();
  const browser = await launchChromium();
  const first: number[] = [];
  const repeat: number[] = [];
  const offline: number[] = [];
  let js = { transferred: 0, decoded: 0, files: 0 };
  try {
    await waitFor(`${BASE}/health`, 300);
    for (let run = 0; run < RUNS; run++) {
      // A phone that signed in once (the session cookie) and has nothing cached yet.
      const context = await browser.newContext({
        viewport: { width: 360, height: 640 },
        isMobile: true,
        hasTouch: true,
        locale: 'vi-VN',
      });
      const signIn = await context.request.post(`${BASE}/api/v1/auth/session`, { data: TRAINER });
      if (!signIn.ok()) throw new Error(`sign-in: ${signIn.status()}`);
      const page = await context.newPage();
      const cdp = await throttle(context, page, SLOW_3G);
      first.push(await load(page, false));
      js = await scriptBytes(page, { withoutServiceWorker: true });
      await page.waitForFunction('navigator.serviceWorker.ready.then(() => true)', undefined, {
        timeout: 120_000,
      });
      // The service worker installed the whole shell; after one reload it serves the app.
      await load(page, true);
      repeat.push(await load(page, true));
      // Airplane mode: requests fail at once (DevTools' emulation would otherwise keep the 2 s latency first).
      await cdp.send('Network.emulateNetworkConditions', {
        offline: true,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      await context.setOffline(true);
      offline.push(await load(page, true));
      console.log(
        `run ${run}: first ${first.at(-1)} ms, repeat ${repeat.at(-1)} ms, repeat offline ${offline.at(-1)} ms`,
      );
      await context.close();
    }
    const stats = (xs: number[]) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
    console.log(
      JSON.stringify(
        {
          trainerAreaJs: { gzipped: kb(js.transferred), raw: kb(js.decoded), files: js.files },
          firstLoadSlow3gMs: stats(first),
          repeatLoadSlow3gMs: stats(repeat),
          repeatLoadOfflineMs: stats(offline),
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
