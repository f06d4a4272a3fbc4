/**
 * The reports of the real data sets, built by the analyses themselves (reduced settings: three seeds of one split each, few
 * epochs, but the real rows and tasks) and checked in Chromium: every section the folder has is drawn with as many
 * marks as its JSON file asks for, with no console error and no network request.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { runGroupAnalysis as runGroupAnalysisOnly, type GroupOptions } from '../../src/analysis/group.js';
import { runProxies as runProxiesOnly } from '../../src/analysis/proxies.js';
import { completeSpec, type AnalysisSpec } from '../../src/analysis/spec.js';
import { runBaselines } from '../../src/analysis/baselines.js';
import { writeArtefacts } from '../../src/analysis/write.js';
import { runTaxonomy as runTaxonomyOnly } from '../../src/analysis/taxonomy.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir } from '../helpers/files.js';
import { SMALL_ENGINE } from '../helpers/sweep.js';
import { assertLabelsClear, assertQuiet, count, launchChromium, openFile } from './chromium.js';
import { written } from '../helpers/written.js';

const runGroupAnalysis = written(runGroupAnalysisOnly);
const runProxies = written(runProxiesOnly);
const runTaxonomy = written(runTaxonomyOnly);

const DATA = fileURLToPath(new URL('../../../analyses/data/', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../../reports/test-artifacts/', import.meta.url));

let browser: Browser;

before(async () => {
  await testBackend();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

/** Three seeds of one split each (3 replications; the seed is the unit of every interval), a smaller network and few epochs: real data, test-sized cost. */
function realSpec(name: string, tasks: number, epochs: number): AnalysisSpec {
  return completeSpec(
    {
      name,
      data: join(DATA, `${name}.csv`),
      tasks: `last:${tasks}`,
      seeds: 3,
      split: { kind: 'holdout', validation: 0.2, test: 0.2 },
      engine: { ...SMALL_ENGINE, batchSize: 64, epochs },
      out: tempDir(),
      backend: process.env.TRA_BACKEND || undefined,
    },
    `${name} report test`,
  );
}

const GROUP: GroupOptions = {
  method: 'auto',
  trainHigherOrder: false,
  validate: true,
  validateSeeds: 3,
  randomDraws: 2,
  bootstrap: 10,
  earlyFractions: [0.5],
};

/** A parsed JSON file of the report folder (its shapes are checked by the report itself). */
// biome-ignore lint/suspicious/noExplicitAny: the test walks untyped JSON the report itself validates
type Json = Record<string, any>;
const readJson = (dir: string, file: string): Json | undefined =>
  existsSync(join(dir, file)) ? (JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json) : undefined;
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Opens `<dir>/index.html` and checks every view against the JSON files next to it; returns the sections drawn. */
async function checkReport(dir: string, artifact: string): Promise<string[]> {
  const affinity = readJson(dir, 'affinity.json') as Json;
  const grouping = readJson(dir, 'grouping.json');
  const auxiliary = readJson(dir, 'auxiliary.json');
  const taxonomy = readJson(dir, 'taxonomy.json');
  const proxies = readJson(dir, 'proxies.json');
  const baselines = readJson(dir, 'baselines.json');
  const names = affinity.taskNames as string[];
  const T = names.length;
  const opened = await openFile(browser, join(dir, 'index.html'));
  const { page } = opened;
  const text = (selector: string): Promise<string> => page.locator(selector).innerText();
  try {
    const drawn: string[] = [];
    for (const [key, present] of Object.entries({ heatmap: true, grouping, auxiliary, taxonomy, proxies, baselines })) {
      if (!present) {
        assert.equal(await count(page, `#view-${key}`), 0, `no ${key} section without its file`);
        continue;
      }
      assert.equal(await page.getAttribute(`#view-${key}`, 'data-drawn'), 'true', `${key} is drawn`);
      drawn.push(key);
    }
    assert.equal(await count(page, '.view-error'), 0, 'no view failed');

    assert.equal(await count(page, '#view-heatmap g.cell rect.swatch'), T * T, 'one heatmap cell per ordered pair');
    assert.equal(await count(page, '#view-heatmap .dendrogram path'), T - 1, 'the dendrogram has T-1 merges');
    const labels = await page.locator('#view-heatmap text.axis-label').allTextContents();
    for (const name of names) assert.ok(labels.includes(name), `the heatmap names ${name}, as text`);
    const tasksTable = await text('#section-tasks');
    for (const name of names) assert.ok(tasksTable.includes(name), `the tasks table lists ${name}`);

    if (grouping) {
      const curve = grouping.curve as Json[];
      assert.equal(
        await count(page, '#view-grouping g.points circle.point.predicted'),
        curve.length,
        'one point per feasible budget',
      );
      assert.equal(
        await count(page, '#view-grouping g.predicted-interval'),
        curve.filter((p) => finite(p.predictedInterval?.low) && finite(p.predictedInterval?.high)).length,
        'predicted-loss whiskers wherever the interval is known',
      );
      assert.equal(
        await count(page, '#view-grouping g.actual'),
        curve.filter((p) => p.actualLoss).length,
        'measured diamonds',
      );
      assert.equal(await count(page, '#view-grouping table.groups tbody tr'), curve.length);
      const chosen = grouping.chosenBudget as { budget: number; reason: string };
      assert.equal(
        await count(page, '#view-grouping circle.recommended.marker'),
        1,
        'the recommended budget is marked',
      );
      assert.match(
        await text('#view-grouping table.groups tr.recommended th'),
        new RegExp(`^${chosen.budget}\\s*recommended$`),
      );
      const recommendation = await text('#view-grouping p.recommendation');
      assert.ok(
        recommendation.startsWith(`Recommended: ${chosen.budget} network`) && recommendation.includes(chosen.reason),
        recommendation,
      );
      if (grouping.closedLoop) {
        assert.equal(
          await count(page, '#view-grouping table.closed-loop tbody tr'),
          grouping.closedLoop.baselines.length + 1,
          'the selection and each baseline',
        );
        const loop = await text('#view-grouping table.closed-loop');
        for (const b of grouping.closedLoop.baselines as Json[]) assert.ok(loop.includes(b.name), b.name);
        assert.match(await text('#view-grouping'), /negative = the selection is better/);
      }
      assert.equal(
        await count(page, '#view-grouping table.clustering tbody tr'),
        (grouping.clustering ?? []).length,
        'one row per clustering',
      );
      assert.equal(
        await count(page, '#view-grouping table.early-stopping tbody tr'),
        (grouping.earlyStopping ?? []).length,
        'one row per early epoch',
      );
      assert.equal(
        await count(page, '#view-grouping table.robustness tbody tr'),
        (grouping.stability ? 1 : 0) + (grouping.pairwiseApproximation ? 1 : 0),
      );
    }
    if (auxiliary) {
      assert.equal(await count(page, '#view-auxiliary g.bar rect'), T - 1, 'one bar per partner of the main task');
      assert.equal(auxiliary.ranking.length, T - 1);
      if (auxiliary.top) {
        const top = await page.locator('#view-auxiliary p.auxiliary-top .chip').allTextContents();
        assert.deepEqual(top, auxiliary.top.tasks, 'the top auxiliaries, as text');
      }
    }
    if (taxonomy) {
      assert.equal(await count(page, '#view-taxonomy g.node'), T);
      assert.equal(await count(page, '#view-taxonomy path.edge'), taxonomy.edges.length);
    }
    if (proxies) {
      const compared = (proxies.proxies as Json[]).filter((p) => p.agreement);
      assert.equal(await count(page, '#view-proxies figure.panel svg'), compared.length, 'one panel per proxy');
      const points = compared.reduce(
        (n, p) => n + (p.agreement.points as Json[]).filter((q) => finite(q.truth) && finite(q.estimate)).length,
        0,
      );
      assert.equal(await count(page, '#view-proxies circle.dot'), points, 'one dot per ordered pair with an estimate');
      if (proxies.truth?.grouping)
        assert.equal(
          await count(page, '#view-proxies table.proxy-grouping tbody tr'),
          compared.length + (proxies.truth.grouping.sweepMatrix ? 1 : 0),
          'proxy grouping table',
        );
    }
    if (baselines) assert.equal(await count(page, '#view-baselines tbody tr'), T, 'one baselines row per task');

    await assertLabelsClear(page);
    await page.screenshot({ path: join(ARTIFACTS, `${artifact}.png`), fullPage: true });
    assertQuiet(opened);
    return drawn;
  } finally {
    await page.close();
  }
}

test('emotions, real data: the report of the sweep, grouping (closed loop, higher order), auxiliaries, proxies, baselines and taxonomy draws in Chromium', async () => {
  const spec = realSpec('emotions', 6, 10);
  const group = await runGroupAnalysis(spec, {
    ...GROUP,
    trainHigherOrder: true,
    main: 'quiet-still',
    auxiliaryTop: 2,
  });
  await runProxies(spec, {
    truth: { dir: spec.out, required: true },
    proxies: 'lookahead,cosine,correlation,mutual-information',
  });
  writeArtefacts(runBaselines({ data: spec.data, tasks: spec.tasks, splitSeed: 0, cvFolds: 3, out: spec.out }));
  await runTaxonomy(spec, { orders: [1], beam: 1, readoutHidden: [16] });

  // Real outcomes behind the marks: three replications, intervals everywhere, the closed loop measured.
  const grouping = readJson(spec.out, 'grouping.json') as Json;
  assert.equal(grouping.curve.length, 6, 'every budget 1..6 has a selection');
  assert.ok(
    grouping.curve.every(
      (p: Json) => p.predictedInterval.n === 3 && finite(p.predictedInterval.low) && finite(p.predictedInterval.high),
    ),
  );
  assert.equal(grouping.chosenBudget.budget, group.choice.budget);
  assert.equal(grouping.closedLoop.actual.n, 3, 'the closed loop trained 3 fresh replications');
  assert.ok(grouping.pairwiseApproximation && grouping.earlyStopping.length === 1 && grouping.stability.draws === 10);
  assert.deepEqual((readJson(spec.out, 'auxiliary.json') as Json).top.tasks.length, 2);

  const drawn = await checkReport(spec.out, 'report-emotions');
  assert.deepEqual(drawn, ['heatmap', 'grouping', 'auxiliary', 'taxonomy', 'proxies', 'baselines']);
});

test('yeast, real data (14 tasks): the report of the sweep, grouping on a budget subset, auxiliaries, proxies and taxonomy draws in Chromium', async () => {
  const spec = realSpec('yeast', 14, 5);
  const budgets = [1, 2, 3, 4, 7, 14];
  await runGroupAnalysis(spec, { ...GROUP, budgets, maxGroupSize: 2, main: 'Class1' });
  await runProxies(spec, {
    truth: { dir: spec.out, required: true },
    proxies: 'lookahead,cosine,correlation,mutual-information',
  });
  // The linear baselines take over a minute on yeast (cross-validated fits of 14 tasks): the emotions test covers them.
  await runTaxonomy(spec, { orders: [1], beam: 1, readoutHidden: [16] });

  const grouping = readJson(spec.out, 'grouping.json') as Json;
  assert.deepEqual(
    grouping.curve.map((p: Json) => p.budget),
    budgets,
  );
  assert.equal(grouping.closedLoop.actual.n, 3);
  assert.equal((readJson(spec.out, 'affinity.json') as Json).taskNames.length, 14);

  const drawn = await checkReport(spec.out, 'report-yeast');
  assert.deepEqual(drawn, ['heatmap', 'grouping', 'auxiliary', 'taxonomy', 'proxies']);
});
