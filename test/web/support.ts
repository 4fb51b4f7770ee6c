import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { Http } from '../support/http';
import { serviceLogTail, serviceState } from './service';

export const DEMO_PASSWORD = 'LanToa-Demo-2026';
export const ACCOUNTS = {
  province: 'bcd.thainguyen@lantoa.vn',
  commune: 'bcd.donghy@lantoa.vn',
  viewer: 'theodoi.thainguyen@lantoa.vn',
  trainer: 'giangvien.tn@lantoa.vn',
  head: 'hoinongdan.tn@lantoa.vn',
  /** Head of Đồng Hỷ's People's Committee, whose reports go to the commune, then the province. */
  communeHead: 'ubnd.donghy@lantoa.vn',
};

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const SCREENSHOTS = join(__dirname, '../../dist/test-artifacts/web');

/** The API calls each page made, newest last, for a failed journey to show. */
const API_CALLS = new WeakMap<Page, string[]>();

/** Whether the journeys run here (the global setup found no Chromium otherwise, and said so). */
export const webIt: jest.It = process.env.LANTOA_WEB_SKIP ? it.skip : it;

export function baseUrl(): string {
  return serviceState().baseUrl;
}

/**
 * One browser for a spec file's journeys, launched before them (unless the journeys are skipped here) and
 * closed after; call at the top of the `describe`, and `b()` in a test.
 */
export function sharedBrowser(): () => Browser {
  let b: Browser | undefined;
  beforeAll(async () => {
    if (!process.env.LANTOA_WEB_SKIP) b = await launchChromium();
  });
  afterAll(() => b?.close());
  return () => {
    if (!b) throw new Error('no browser: the journeys are skipped here');
    return b;
  };
}

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

export async function newPage(
  b: Browser,
  viewport = DESKTOP,
  locale = 'vi-VN',
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await b.newContext({
    viewport,
    locale,
    timezoneId: 'Asia/Ho_Chi_Minh',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  // A script error, a refusal by the Content-Security-Policy or a 5xx answer is a failure of the page;
  // 4xx answers are part of the journeys (a refused value shown next to its field, a page without access).
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
  const calls: string[] = [];
  API_CALLS.set(page, calls);
  page.on('response', (response) => {
    if (response.status() >= 500) errors.push(`${response.status()} ${response.url()}`);
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/'))
      calls.push(`${response.status()} ${response.request().method()} ${url.pathname}${url.search}`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

export async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl()}/dang-nhap`);
  await page.getByLabel('Email hoặc số điện thoại').fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/dang-nhap'));
}

/** Waits until the page's data has arrived (pages mark their content data-ready). */
export async function ready(page: Page): Promise<void> {
  await page.locator('[data-ready="true"]').first().waitFor({ timeout: 30_000 });
}

/** Opens a page from the app's menu, as a person does, and waits until it has loaded. */
export async function openFromMenu(page: Page, label: string, path: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: label }).click();
  await page.waitForURL((u) => u.pathname === path);
  await ready(page);
}

/** The page has no WCAG 2.1 A/AA violation and does not scroll sideways (wide tables scroll in their own region). */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  expect([where, await axe(page)]).toEqual([where, []]);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  expect([where, overflow]).toEqual([where, 0]);
}

/** Runs axe-core's WCAG 2.1 A and AA rules on the page; returns the violations, described. */
export async function axe(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern (a
  // script tag would be refused by it, as it should be).
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate<{ violations: any[] }>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
  );
  return result.violations.map(
    (v: any) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n: any) => n.target.join(' '))
        .slice(0, 5)
        .join(' | ')}`,
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The API as the same user, through the JSON token API, to compare what the page shows. */
export async function apiAs(login: string, password = DEMO_PASSWORD): Promise<Http> {
  const http = new Http(baseUrl());
  const res = await http.post('/api/v1/auth/login', { login, password });
  if (res.status !== 200) throw new Error(`login of ${login}: ${res.status} ${res.text}`);
  http.token = res.body.accessToken;
  return http;
}

/** Text of the page's visible numbers parsed the Vietnamese way ("2.818" → 2818). */
/**
 * What the page shows and what the API answers, read between two API reads that agree: other journeys keep
 * marking attendance on the same service, so a figure may move between the page's read and the API's. Up to
 * five tries; the caller compares `page` with `api` and expects `steady`.
 */
export async function steadyRead<A, P>(
  fromApi: () => Promise<A>,
  fromPage: (api: A) => Promise<P>,
): Promise<{ api: A; page: P; steady: boolean }> {
  let before = await fromApi();
  for (let i = 0; ; i++) {
    const page = await fromPage(before);
    const after = await fromApi();
    const steady = JSON.stringify(after) === JSON.stringify(before);
    if (steady || i === 4) return { api: before, page, steady };
    before = after;
  }
}

export function vnNumber(text: string): number {
  return Number(text.replace(/[^\d,-]/g, '').replace(',', '.'));
}

/**
 * Runs a journey; when it fails, the page as it stood is saved next to the other screenshots, and what the
 * page said and the service last logged are added to the error (all a CI log can show of the failure).
 */
export async function journey(page: Page, name: string, steps: () => Promise<void>): Promise<void> {
  try {
    await steps();
  } catch (error) {
    await screenshot(page, `FAILED-${name}`).catch(() => undefined);
    const text = await page
      .locator('body')
      .innerText({ timeout: 2_000 })
      .catch(() => '(unreadable)');
    if (error instanceof Error) {
      const said = error.message;
      error.message += `\n\nPage ${page.url()} said:\n${text.slice(0, 1_500)}\n\nIts last API calls:\n${(API_CALLS.get(page) ?? []).slice(-15).join('\n')}\n\nThe service last logged:\n${serviceLogTail() || '(nothing)'}`;
      // The runner prints the stack, which was written with the message as it first was.
      if (error.stack) error.stack = error.stack.replace(said, error.message);
    }
    throw error;
  }
}
