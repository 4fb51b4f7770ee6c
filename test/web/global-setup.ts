import { existsSync } from 'node:fs';
import { CHROMIUM } from '../support/browser';
import { startService } from './service';

export default async function globalSetup(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.warn(
      `SKIPPED: the browser journeys need Chromium at ${CHROMIUM} (apt-get install chromium); .ci/run installs it.`,
    );
    process.env.LANTOA_WEB_SKIP = '1';
    return;
  }
  const started = Date.now();
  await startService();
  console.log(
    `\nBrowser journeys: service on the embedded database with the demo seed, up in ${Math.round((Date.now() - started) / 1000)} s.`,
  );
}
