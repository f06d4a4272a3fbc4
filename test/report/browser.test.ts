import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { writeReport, type ReportInput } from '../../src/report/html/index.js';
import { assertLabelsClear, assertQuiet, count, launchChromium, openFile } from './chromium.js';
import { fullInput, HOSTILE, SCRIPT_BREAKER, sweepOnlyInput, syntheticAffinity } from './fixtures.js';
import { PAGE_BOUNDS_UP_TO } from '../../src/report/views/heatmap.js';

const ARTIFACTS = fileURLToPath(new URL('../../../reports/test-artifacts/', import.meta.url));

let browser: Browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

/**
 * Writes the report into reports/test-artifacts/<name>/index.html, opens it from its file:// URL, runs `check` on the
 * page, then takes a full-page screenshot and asserts the page stayed quiet.
 */
async function checkReport(name: string, input: ReportInput, check: (page: Page) => Promise<void>): Promise<void> {
  const dir = join(ARTIFACTS, name);
  mkdirSync(dir, { recursive: true });
  const opened = await openFile(browser, writeReport(dir, input));
  const { page } = opened;
  try {
    const T = input.affinity.taskNames.length;
    assert.equal(await count(page, '#view-heatmap g.cell rect.swatch'), T * T, 'one heatmap cell per ordered pair');
    await check(page);
    await assertLabelsClear(page);
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    assertQuiet(opened);
  } finally {
    await page.close();
  }
}

test('full report: every view draws in Chromium, offline, with hostile task names shown as text', async () => {
  const input = fullInput();
  await checkReport('report', input, async (page) => {
    const T = input.affinity.taskNames.length;
    assert.ok((await count(page, '#view-heatmap rect.uncertain')) > 0, 'cells whose interval crosses zero are hatched');
    assert.ok((await count(page, '#view-heatmap rect.significant')) > 0, 'significant cells are outlined');
    assert.ok((await count(page, '#view-heatmap .dendrogram path')) === T - 1, 'the dendrogram has T-1 merges');
    const grouping = input.grouping;
    const curve = grouping.curve;
    assert.equal(await count(page, '#view-grouping g.points circle.point.predicted'), curve.length);
    assert.equal(
      await count(page, '#view-grouping g.predicted-interval'),
      curve.filter((p) => p.predictedInterval?.low !== null).length,
      'whiskers where the interval is known',
    );
    assert.equal(await count(page, '#view-grouping g.actual'), curve.filter((p) => p.actualLoss).length);
    assert.equal(await count(page, '#view-grouping table.groups tbody tr'), curve.length);
    assert.equal(
      await count(page, '#view-grouping circle.recommended.marker'),
      1,
      'one ring on the recommended budget',
    );
    assert.match(
      await page.locator('#view-grouping table.groups tr.recommended th').innerText(),
      /^2\s*recommended$/,
      'the recommended row is marked',
    );
    assert.match(
      await page.locator('#view-grouping p.recommendation').innerText(),
      /Recommended: 2 networks\. smallest budget not significantly worse/,
    );
    assert.equal(
      await count(page, '#view-grouping table.closed-loop tbody tr'),
      grouping.closedLoop!.baselines.length + 1,
    );
    const loopText = await page.locator('#view-grouping table.closed-loop').innerText();
    assert.match(
      loopText,
      /all tasks in one network\s+3\.41\s+3\.45 \[3\.38, 3\.52\]\s+\u22120\.18 \[\u22120\.25, \u22120\.11\]\s+selection better/,
    );
    assert.match(loopText, /every task alone.*no significant difference/);
    assert.match(await page.locator('#view-grouping').innerText(), /negative = the selection is better/);
    assert.equal(await count(page, '#view-grouping table.clustering tbody tr'), grouping.clustering!.length);
    assert.match(await page.locator('#view-grouping table.clustering').innerText(), /no selection at this budget/);
    assert.equal(await count(page, '#view-grouping table.early-stopping tbody tr'), grouping.earlyStopping!.length);
    assert.equal(await count(page, '#view-grouping table.robustness tbody tr'), 2);
    assert.match(await page.locator('#view-grouping table.robustness').innerText(), /86% of 50 resamples/);
    assert.match(await page.locator('#view-grouping').innerText(), /No selection for budget 5 \(infeasible\)/);
    assert.equal(await count(page, '#view-auxiliary g.bar rect'), input.auxiliary!.ranking.length);
    const top = await page.locator('#view-auxiliary p.auxiliary-top').innerText();
    assert.ok(top.includes(input.auxiliary!.top!.tasks[1]), 'the top auxiliaries are named, as text');
    assert.equal(
      await count(page, '#view-auxiliary table.heuristics tbody tr'),
      input.auxiliary!.heuristics!.length,
      'one row per heuristic',
    );
    assert.match(
      await page.locator('#view-auxiliary table.heuristics tbody tr').nth(1).innerText(),
      /n\/a/,
      'an undefined agreement reads n/a',
    );
    assert.equal(await count(page, '#view-auxiliary p.auxiliary-set'), 2, 'the recommended set and its closed loop');
    assert.match(top, /over training alone \+3\.1% \[\+0\.4, \+5\.8\] \(95% interval over 6 seeds\): helps\./);
    assert.equal(await count(page, '#view-taxonomy g.node'), input.taxonomy!.nodes.length);
    assert.equal(await count(page, '#view-taxonomy path.edge'), input.taxonomy!.edges.length);
    const proxies = input.proxies.proxies;
    assert.equal(await count(page, '#view-proxies figure.panel svg'), proxies.length);
    assert.equal(
      await count(page, '#view-proxies circle.dot'),
      proxies.reduce((n, p) => n + p.points.length, 0),
    );
    assert.equal(
      await count(page, '#view-proxies table.proxy-grouping tbody tr'),
      proxies.length + 1,
      'one row per proxy and one for the sweep itself',
    );
    assert.match(
      await page.locator('#view-proxies table.proxy-grouping').innerText(),
      /gradient cosine\s+0\.30\s+not defined/,
    );
    assert.match(await page.locator('#view-proxies').innerText(), /ARI 0\.42 to each other/);
    assert.equal(await count(page, '#view-baselines tbody tr'), input.baselines!.rows.length);
    for (const id of ['heatmap', 'grouping', 'auxiliary', 'auxiliaryCandidates', 'taxonomy', 'proxies', 'baselines'])
      assert.equal(await page.getAttribute(`#view-${id}`, 'data-drawn'), 'true', `${id} is drawn`);
    assert.equal(await page.getAttribute('#view-sweepChecks', 'data-drawn'), 'true', 'the sweep checks are drawn');
    const checks = await page.locator('#view-sweepChecks table.sweep-checks').innerText();
    assert.match(
      checks,
      /Adaptive run\s+target reliability 0\.7: reached\s+reached reliability 0\.81 \(one-sided 0\.9 lower bound 0\.72\) >= 0\.7 with 5 seeds/,
    );
    assert.match(checks, /Seeds used\s+0, 1, 2, 3, 4\s+5 seeds/);
    assert.match(
      checks,
      /Gain from a null partner\s+\u22121\.4% \[\u22122\.4, \u22120\.3\]\s+the 95% interval excludes 0/,
    );
    assert.match(checks, /Null cells with a verdict\s+1 of 7\s+false discoveries: 0 helps, 1 hurts/);
    assert.ok(checks.includes('null: speech'), 'the null control is named');

    const text = await page.evaluate(() => document.body.innerText);
    assert.ok(text.includes(HOSTILE), 'the hostile name is visible as text');
    assert.ok(text.includes(SCRIPT_BREAKER), 'the script-breaking name is visible as text');
    const svgLabels = await page.locator('#view-heatmap text.axis-label').allTextContents();
    assert.ok(svgLabels.includes(HOSTILE), 'heatmap labels show the name as text');
    assert.equal(await count(page, 'img'), 0, 'no element was created from a task name');
    assert.equal(await count(page, 'body script'), 2, 'no script element was injected');

    // Hover a cell of the hostile task's row (its partner column 'speech'): the tooltip gives the interval.
    const hostile = input.affinity.taskNames.indexOf(HOSTILE);
    await page
      .locator('#view-heatmap g.cell')
      .nth(hostile * T)
      .hover();
    const tip = await page.locator('div.tooltip.visible').innerText();
    assert.match(
      tip,
      /speech helps <img src=x onerror=alert\(1\)>: [+\u2212]?\d+\.\d% \[[+\u2212]?\d+\.\d, [+\u2212]?\d+\.\d\]/,
    );
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
  });
});

test('sweep-only report: the header and heatmap alone, complete and quiet', async () => {
  const input = sweepOnlyInput();
  await checkReport('report-sweep-only', input, async (page) => {
    for (const id of ['grouping', 'auxiliary', 'taxonomy', 'proxies', 'baselines'])
      assert.equal(await count(page, `#view-${id}`), 0, `${id} is absent`);
    const text = await page.evaluate(() => document.body.innerText);
    assert.match(text, /Reliability\s+0\.47/i);
    assert.match(text, /Below 0\.5: most of this matrix is seed noise/);
    assert.ok(text.includes(`tra run analyses/synthetic.json --tasks '${HOSTILE}'`), 'the exact command to reproduce');
    assert.match(text, /10 \(2 seeds × 3 folds\)|6 \(2 seeds × 3 folds\)/);
    assert.ok(text.includes(HOSTILE));
    assert.equal(await count(page, '#view-sweepChecks'), 0, 'no sweep checks without an adaptive run or null controls');
  });
});

test('174 tasks: a cluster overview that zooms into a block and finds a task, in a page a third of the old size', async () => {
  const input = fullInput(174);
  const dir = join(ARTIFACTS, 'report-174');
  mkdirSync(dir, { recursive: true });
  const file = writeReport(dir, input);
  const bytes = statSync(file).size;
  assert.ok(
    bytes < 1_500_000,
    `the page stays lean: ${bytes} bytes (3.2 MB before: full-precision matrices, every proxy point)`,
  );
  const opened = await openFile(browser, file);
  const { page } = opened;
  try {
    const blocks = await count(page, '#view-heatmap g.block');
    const k = Math.round(Math.sqrt(blocks));
    assert.ok(k >= 2 && k <= 16 && k * k === blocks, `${blocks} blocks: clusters × clusters`);
    assert.equal(await count(page, '#view-heatmap .heatmap-overview text.axis-label'), 2 * k, 'one label per cluster');
    // Zoom: select the block of the first row cluster and the last column cluster.
    await page
      .locator('#view-heatmap g.block')
      .nth(k - 1)
      .click();
    const heading = await page.locator('#view-heatmap .heatmap-zoom h3').innerText();
    const [, rows, columns] = /\((\d+)\) \(rows, helped\) and C\d+ \((\d+)\)/.exec(heading) ?? [];
    assert.equal(await count(page, '#view-heatmap .heatmap-zoom g.cell'), Number(rows) * Number(columns), heading);
    // Search: a task's cluster is zoomed and its strongest partners listed, ten each way.
    const name = input.affinity.taskNames[100];
    await page.locator('#heatmap-search-input').fill(name);
    assert.match(await page.locator('#view-heatmap .heatmap-search [role=status]').innerText(), /in cluster C\d+/);
    assert.equal(await count(page, '#view-heatmap .heatmap-partners table tbody tr'), 20);
    assert.ok((await page.locator('#view-heatmap .heatmap-zoom').innerText()).includes(name));
    await assertLabelsClear(page);
    assertQuiet(opened);
  } finally {
    await page.close();
  }
});

test('above PAGE_BOUNDS_UP_TO tasks the page draws from gains, verdicts and interval codes and says where the bounds are', async () => {
  const T = PAGE_BOUNDS_UP_TO + 20;
  const dir = join(ARTIFACTS, `report-${T}`);
  mkdirSync(dir, { recursive: true });
  const file = writeReport(dir, { affinity: syntheticAffinity(T) });
  const opened = await openFile(browser, file);
  const { page } = opened;
  try {
    const blocks = await count(page, '#view-heatmap g.block');
    assert.ok(blocks >= 4, `${blocks} blocks`);
    await page.locator('#view-heatmap g.block').first().click();
    const cells = page.locator('#view-heatmap .heatmap-zoom g.cell');
    assert.ok((await cells.count()) > 0);
    const labels = await cells.evaluateAll((marks) => marks.map((m) => m.getAttribute('aria-label') ?? ''));
    const pairs = labels.filter((l) => !l.includes('same task'));
    const said =
      /interval (excludes 0|includes 0: not distinguishable from no effect) \(its bounds and p-value: affinity\.csv\)|interval not available/;
    assert.ok(pairs.length > 0);
    for (const label of pairs) assert.match(label, said);
    assert.ok(pairs.some((l) => /excludes 0/.test(l)) && pairs.some((l) => /includes 0/.test(l)), 'both kinds of cell');
    const hatched = await count(page, '#view-heatmap .heatmap-zoom rect.uncertain');
    assert.equal(
      hatched,
      pairs.filter((l) => !/excludes 0/.test(l)).length,
      'a cell is hatched where its interval includes 0 or is unknown',
    );
    await page.locator('#heatmap-search-input').fill('task 100');
    const partners = await page.locator('#view-heatmap .heatmap-partners').innerText();
    assert.match(partners, /(excludes|includes) 0/);
    assert.match(await page.locator('#section-heatmap .intro').innerText(), /p-values are in affinity\.csv/);
    assertQuiet(opened);
  } finally {
    await page.close();
  }
});
