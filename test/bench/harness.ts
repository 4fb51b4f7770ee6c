/** What the benchmark scripts share to drive the service they start. */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** Waits until `url` answers with a 2xx status, polling every 100 ms for up to `seconds`. */
export async function waitFor(url: string, seconds = 60): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer in ${seconds} s`);
}

/** Stops a service the script started (SIGTERM, then waits for it to exit) and removes its data folder. */
export async function stopService(child: ChildProcess, dataDir: string): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * JavaScript bytes the page loaded, as transferred (compressed) and decoded, from its resource timing; with
 * `withoutServiceWorker`, the service worker's own script left out.
 */
export async function scriptBytes(
  page: Page,
  { withoutServiceWorker = false } = {},
): Promise<{ transferred: number; decoded: number; files: number }> {
  return page.evaluate<{ transferred: number; decoded: number; files: number }>(`(() => {
    const js = performance.getEntriesByType('resource')
      .filter((e) => e.name.endsWith('.js') && !(${withoutServiceWorker} && e.name.endsWith('/sw.js')));
    return {
      transferred: js.reduce((s, e) => s + e.encodedBodySize, 0),
      decoded: js.reduce((s, e) => s + e.decodedBodySize, 0),
      files: js.length,
    };
  })()`);
}
