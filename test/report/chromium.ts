/** Opening reports in Debian's Chromium for the browser tests: what the page logged and requested is recorded. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describeLabelProblems, labelProblems } from '../../src/report/labels.js';

/** Debian's Chromium (CI installs it); TRA_CHROMIUM points elsewhere for local runs. */
export const CHROMIUM = process.env.TRA_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    assert.fail(
      `the browser tests need Debian Chromium at ${CHROMIUM} (apt-get install chromium); it is not installed, so the HTML report cannot be checked`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export interface Opened {
  page: Page;
  url: string;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** Opens an HTML file from its file:// URL, recording console errors and warnings, page errors, requests and dialogs. */
export async function openFile(browser: Browser, file: string): Promise<Opened> {
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, errors, requests, dialogs };
}

/** No console errors or warnings (CSP violations included), no request but the file itself, no dialog. */
export function assertQuiet({ url, errors, requests, dialogs }: Opened): void {
  assert.deepEqual(errors, [], 'no console errors or warnings (CSP violations included)');
  assert.deepEqual(
    requests.filter((r) => r !== url && !r.startsWith('data:')),
    [],
    'no requests but the file itself (and data: URLs)',
  );
  assert.deepEqual(dialogs, [], 'no dialog: hostile task names never run');
}

export const count = (page: Page, selector: string): Promise<number> => page.locator(selector).count();

/** No two labels of a figure overlap and none reaches beyond its figure (src/report/labels.ts). */
export async function assertLabelsClear(page: Page, selector = 'body'): Promise<void> {
  assert.deepEqual(describeLabelProblems(await labelProblems(page, selector)), [], 'labels clear of each other');
}
