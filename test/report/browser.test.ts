import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { writeReport, type ReportInput } from '../../src/report/html/index.js';
import { fullInput, HOSTILE, SCRIPT_BREAKER, sweepOnlyInput } from './fixtures.js';

/** Debian's Chromium (CI installs it); TRA_CHROMIUM points elsewhere for local runs. */
const CHROMIUM = process.env.TRA_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../../reports/test-artifacts/', import.meta.url));

let browser: Browser;

before(async () => {
  if (!existsSync(CHROMIUM))
    assert.fail(`the browser tests need Debian Chromium at ${CHROMIUM} (apt-get install chromium); it is not installed, so the HTML report cannot be checked`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  url: string;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** Writes the report into reports/test-artifacts/<name>/index.html and opens it from its file:// URL. */
async function open(name: string, input: ReportInput): Promise<Opened> {
  const dir = join(ARTIFACTS, name);
  mkdirSync(dir, { recursive: true });
  const url = pathToFileURL(writeReport(dir, input)).href;
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

function assertQuiet({ url, errors, requests, dialogs }: Opened): void {
  assert.deepEqual(errors, [], 'no console errors or warnings (CSP violations included)');
  assert.deepEqual(
    requests.filter((r) => r !== url && !r.startsWith('data:')),
    [],
    'no requests but the file itself (and data: URLs)',
  );
  assert.deepEqual(dialogs, [], 'no dialog: hostile task names never run');
}

const count = (page: Page, selector: string): Promise<number> => page.locator(selector).count();

test('full report: every view draws in Chromium, offline, with hostile task names shown as text', async () => {
  const input = fullInput();
  const opened = await open('report', input);
  const { page } = opened;
  try {
    const T = input.affinity.taskNames.length;
    assert.equal(await count(page, '#view-heatmap g.cell rect.swatch'), T * T, 'one heatmap cell per ordered pair');
    assert.ok((await count(page, '#view-heatmap rect.uncertain')) > 0, 'cells whose interval crosses zero are hatched');
    assert.ok((await count(page, '#view-heatmap rect.significant')) > 0, 'significant cells are outlined');
    assert.ok((await count(page, '#view-heatmap .dendrogram path')) === T - 1, 'the dendrogram has T-1 merges');
    assert.equal(await count(page, '#view-grouping g.points circle.point.predicted'), input.grouping!.length);
    assert.equal(await count(page, '#view-grouping g.actual'), input.grouping!.filter((p) => p.actualLoss).length);
    assert.equal(await count(page, '#view-grouping tbody tr'), input.grouping!.length);
    assert.equal(await count(page, '#view-auxiliary g.bar rect'), input.auxiliary!.ranking.length);
    assert.equal(await count(page, '#view-taxonomy g.node'), input.taxonomy!.nodes.length);
    assert.equal(await count(page, '#view-taxonomy path.edge'), input.taxonomy!.edges.length);
    assert.equal(await count(page, '#view-proxies figure.panel svg'), input.proxies!.length);
    assert.equal(await count(page, '#view-proxies circle.dot'), input.proxies!.reduce((n, p) => n + p.points.length, 0));
    assert.equal(await count(page, '#view-baselines tbody tr'), input.baselines!.rows.length);
    for (const id of ['heatmap', 'grouping', 'auxiliary', 'taxonomy', 'proxies', 'baselines'])
      assert.equal(await page.getAttribute(`#view-${id}`, 'data-drawn'), 'true', `${id} is drawn`);

    const text = await page.evaluate(() => document.body.innerText);
    assert.ok(text.includes(HOSTILE), 'the hostile name is visible as text');
    assert.ok(text.includes(SCRIPT_BREAKER), 'the script-breaking name is visible as text');
    const svgLabels = await page.locator('#view-heatmap text.axis-label').allTextContents();
    assert.ok(svgLabels.includes(HOSTILE), 'heatmap labels show the name as text');
    assert.equal(await count(page, 'img'), 0, 'no element was created from a task name');
    assert.equal(await count(page, 'body script'), 3, 'no script element was injected');

    // Hover a cell of the hostile task's row (its partner column 'speech'): the tooltip gives the interval.
    const hostile = input.affinity.taskNames.indexOf(HOSTILE);
    await page.locator('#view-heatmap g.cell').nth(hostile * T).hover();
    const tip = await page.locator('div.tooltip.visible').innerText();
    assert.match(tip, /speech helps <img src=x onerror=alert\(1\)>: [+\u2212]?\d+\.\d% \[[+\u2212]?\d+\.\d, [+\u2212]?\d+\.\d\]/);
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));

    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    assertQuiet(opened);
  } finally {
    await page.close();
  }
});

test('sweep-only report: the header and heatmap alone, complete and quiet', async () => {
  const input = sweepOnlyInput();
  const opened = await open('report-sweep-only', input);
  const { page } = opened;
  try {
    const T = input.affinity.taskNames.length;
    assert.equal(await count(page, '#view-heatmap g.cell rect.swatch'), T * T);
    for (const id of ['grouping', 'auxiliary', 'taxonomy', 'proxies', 'baselines']) assert.equal(await count(page, `#view-${id}`), 0, `${id} is absent`);
    const text = await page.evaluate(() => document.body.innerText);
    assert.match(text, /Reliability\s+0\.47/i);
    assert.match(text, /Below 0\.5: most of this matrix is seed noise/);
    assert.ok(text.includes(`tra run analyses/synthetic.json --tasks '${HOSTILE}'`), 'the exact command to reproduce');
    assert.match(text, /10 \(2 seeds × 3 folds\)|6 \(2 seeds × 3 folds\)/);
    assert.ok(text.includes(HOSTILE));
    await page.screenshot({ path: join(ARTIFACTS, 'report-sweep-only.png'), fullPage: true });
    assertQuiet(opened);
  } finally {
    await page.close();
  }
});
