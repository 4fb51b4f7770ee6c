import { existsSync } from 'node:fs';
import { CHROMIUM } from '../support/browser';
import { startTestProvider, TestProvider } from '../support/oidc-provider';
import { startService } from './service';

/** The stand-in for VNeID the service signs people in with (this process serves it during the run). */
export const provider: { current: TestProvider | null } = { current: null };

export default async function globalSetup(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.warn(
      `SKIPPED: the browser journeys need Chromium at ${CHROMIUM} (apt-get install chromium); .ci/run installs it.`,
    );
    process.env.LANTOA_WEB_SKIP = '1';
    return;
  }
  const started = Date.now();
  await startService(async (port) => {
    const base = `http://localhost:${port}`;
    provider.current = await startTestProvider(
      `${base}/api/v1/auth/oidc/vneid/callback`,
      `${base}/hoc-vien`,
      {
        form: true,
      },
    );
    return provider.current.env();
  });
  (globalThis as { lantoaProvider?: TestProvider }).lantoaProvider = provider.current!;
  console.log(
    `\nBrowser journeys: service on the embedded database with the demo seed, up in ${Math.round((Date.now() - started) / 1000)} s.`,
  );
}
