import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from '../../src/vendor/commander.js';
import { InputError } from '../../src/data/errors.js';
import { averageLinkage } from '../../src/math/linkage.js';
import {
  pageBundle,
  readReportInput,
  renderReport,
  reportData,
  scriptSafeJson,
  writeReport,
} from '../../src/report/html/index.js';
import { encodeIntervals } from '../../src/report/draw/compact.js';
import { registerReport } from '../../src/cli/report.js';
import { PAGE_BOUNDS_UP_TO } from '../../src/report/views/heatmap.js';
import { tempDir } from '../helpers/files.js';
import { fullInput, HOSTILE, SCRIPT_BREAKER, sweepOnlyInput, syntheticAffinity } from './fixtures.js';

const dataScript = (html: string): string => {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the report embeds its data in a JSON script element');
  return m[1];
};

test('embedded JSON escapes <, >, &, U+2028 and U+2029 and parses back to the same value', () => {
  const value = { name: `${SCRIPT_BREAKER} <!-- & \u2028\u2029 >`, nested: [HOSTILE], n: NaN };
  const json = scriptSafeJson(value);
  assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(json), { ...value, n: null });
});

test('a task name with </script> cannot break out of the data script tag and round-trips', () => {
  const input = fullInput();
  assert.ok(input.affinity.taskNames.includes(SCRIPT_BREAKER));
  const html = renderReport(input);
  const data = dataScript(html);
  assert.doesNotMatch(data, /</, 'no raw < inside the data, so no </script');
  assert.deepEqual(JSON.parse(data).heatmap.tasks, input.affinity.taskNames);
  assert.equal(html.match(/<\/script/gi)?.length, 2, 'exactly the two script elements end: data, page script');
  assert.ok(!html.includes(HOSTILE), 'the hostile name never appears as raw markup');
  assert.ok(!html.includes('<script>alert(1)'), 'the script breaker never appears raw');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the static header shows it escaped');
});

test('the page is self-contained: strict CSP with hashes of exactly its inline scripts, no external resources', () => {
  const html = renderReport(fullInput());
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1].replace(/&#39;/g, "'");
  assert.ok(csp, 'a CSP meta element');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /img-src data:/);
  assert.doesNotMatch(csp, /unsafe-eval|https?:/);
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 1, 'the page script (views and d3), inline');
  for (const script of scripts)
    assert.ok(
      csp.includes(`'sha256-${createHash('sha256').update(script).digest('base64')}'`),
      'each inline script is allowed by its hash',
    );
  assert.equal(scripts[0], pageBundle(), 'the bundled page script is inlined');
  assert.doesNotMatch(html, /<(script|img|iframe|link)[^>]+(src|href)=["']?(https?:|\/\/)/i);
  assert.doesNotMatch(html, /<link[^>]+stylesheet/i);
  assert.match(html, /@media print/);
});

test('rendering is deterministic and a sweep-only report has no optional sections', () => {
  assert.equal(renderReport(fullInput()), renderReport(fullInput()));
  const html = renderReport(sweepOnlyInput());
  const data = JSON.parse(dataScript(html));
  assert.deepEqual(Object.keys(data), ['heatmap']);
  for (const id of ['grouping', 'auxiliary', 'taxonomy', 'proxies', 'baselines'])
    assert.ok(!html.includes(`id="view-${id}"`), id);
  assert.match(html, /id="view-heatmap"/);
  assert.match(html, /Reliability/);
  assert.match(html, /Below 0\.5: most of this matrix is seed noise/);
});

test('average linkage orders two planted clusters contiguously', () => {
  const cluster = [0, 1, 0, 1, 0, 1];
  const s = cluster.map((a, i) => cluster.map((b, j) => (i === j ? 0 : a === b ? 0.05 + 0.001 * (i + j) : -0.04)));
  const { order, merges } = averageLinkage(s);
  assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4, 5]);
  assert.equal(merges.length, 5);
  const labels = order.map((t) => cluster[t]);
  assert.ok(labels.join('') === '000111' || labels.join('') === '111000', labels.join(''));
  assert.ok(
    merges.every((m, k) => k === 0 || m.similarity <= merges[k - 1].similarity + 1e-12),
    'UPGMA merges are monotone',
  );
});

test('tra report reads the folder, accepts the proxies/baselines files the other commands write, and writes index.html', async () => {
  const dir = tempDir();
  const affinity = syntheticAffinity(4);
  const t = affinity.taskNames;
  writeFileSync(join(dir, 'affinity.json'), JSON.stringify(affinity));
  // What `tra proxies --truth` writes: task indices in the points, agreement nested.
  writeFileSync(
    join(dir, 'proxies.json'),
    JSON.stringify({
      taskNames: t,
      proxies: [
        {
          proxy: 'label correlation',
          matrix: [],
          agreement: {
            proxy: 'label correlation',
            spearman: 0.4,
            points: [{ target: 0, source: 1, truth: 0.01, estimate: 0.2 }],
          },
        },
        { proxy: 'no truth', matrix: [] },
      ],
    }),
  );
  // What `tra baselines` writes.
  writeFileSync(
    join(dir, 'baselines.json'),
    JSON.stringify({
      taskNames: t,
      metrics: t.map(() => 'bce'),
      columns: [{ name: 'independent', perTask: [0.5, 0.4, 0.3, 0.2], total: 1.4, details: {} }],
    }),
  );
  // A graphology export as taxonomy.
  writeFileSync(
    join(dir, 'taxonomy.json'),
    JSON.stringify({
      nodes: [{ key: t[0], attributes: { source: true } }, { key: t[1] }],
      edges: [{ source: t[0], target: t[1], attributes: { gain: 0.02 } }],
    }),
  );
  const input = readReportInput(dir);
  assert.deepEqual(input.proxies, {
    proxies: [
      {
        proxy: 'label correlation',
        spearman: 0.4,
        points: [{ target: t[0], source: t[1], truth: 0.01, estimate: 0.2 }],
      },
    ],
  });
  assert.deepEqual(input.baselines?.rows[1], { task: t[1], values: [0.4], metric: 'bce' });
  assert.deepEqual(input.taxonomy?.edges, [{ source: t[0], target: t[1], score: 0.02 }]);

  const program = new Command('tra').exitOverride();
  registerReport(program);
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'tra', 'report', dir]);
  } finally {
    process.stdout.write = write;
  }
  assert.match(out, /wrote .*index\.html/);
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  assert.deepEqual(Object.keys(JSON.parse(dataScript(html))), ['heatmap', 'taxonomy', 'proxies', 'baselines']);
});

test('user mistakes in the folder are InputErrors naming the file', () => {
  const dir = tempDir();
  assert.throws(
    () => readReportInput(dir),
    (e: unknown) => e instanceof InputError && /affinity\.json not found/.test(e.message),
  );
  writeFileSync(join(dir, 'affinity.json'), '{ not json');
  assert.throws(
    () => readReportInput(dir),
    (e: unknown) => e instanceof InputError && /affinity\.json: not valid JSON/.test(e.message),
  );
  const affinity = syntheticAffinity(3);
  writeFileSync(join(dir, 'affinity.json'), JSON.stringify({ ...affinity, mean: affinity.mean.slice(1) }));
  assert.throws(
    () => readReportInput(dir),
    (e: unknown) => e instanceof InputError && /mean: expected a 3x3 matrix/.test(e.message),
  );
  writeFileSync(join(dir, 'affinity.json'), JSON.stringify(affinity));
  writeFileSync(
    join(dir, 'grouping.json'),
    JSON.stringify({ curve: [{ budget: '2', predictedLoss: 1, groups: [], method: 'x' }] }),
  );
  assert.throws(
    () => readReportInput(dir),
    (e: unknown) => e instanceof InputError && /grouping\.json.*budget: expected a finite number/.test(e.message),
  );
  writeFileSync(
    join(dir, 'grouping.json'),
    JSON.stringify({ curve: [{ budget: 1, predictedLoss: 1, groups: [affinity.taskNames], method: 'exact' }] }),
  );
  writeFileSync(
    join(dir, 'auxiliary.json'),
    JSON.stringify({ main: 'a', ranking: [{ task: 'b', mean: 0, low: 0, high: 0, verdict: 'maybe' }] }),
  );
  assert.throws(
    () => readReportInput(dir),
    (e: unknown) => e instanceof InputError && /auxiliary\.json.*verdict: expected one of/.test(e.message),
  );
  writeFileSync(join(dir, 'auxiliary.json'), JSON.stringify({ main: 'a', ranking: [] }));
  writeFileSync(
    join(dir, 'affinity.json'),
    JSON.stringify({ ...affinity, adaptive: { target: 0.7, reached: false, reason: 3, seeds: [0] } }),
  );
  assert.throws(
    () => readReportInput(dir),
    (e: unknown) => e instanceof InputError && /affinity\.json adaptive\.reason: expected a string/.test(e.message),
  );
});

test('grouping.json and proxies.json as tra group and tra proxies write them load with their analyses; a bare curve list is refused', () => {
  const dir = tempDir();
  const affinity = syntheticAffinity(4);
  const t = affinity.taskNames;
  writeFileSync(join(dir, 'affinity.json'), JSON.stringify(affinity));
  const interval = { mean: 2.5, low: 2.4, high: 2.6, n: 3 };
  const point = (budget: number) => ({
    budget,
    predictedLoss: 2.5,
    predictedInterval: interval,
    groups: [t],
    servedBy: Object.fromEntries(t.map((n) => [n, 0])),
    method: 'exact (ILP, HiGHS)',
    status: 'optimal',
    solveSeconds: 0.1,
  });
  const written = {
    provenance: { tool: 'task-relations', command: 'tra group x.json' },
    taskNames: t,
    level: 0.9,
    chosenBudget: { budget: 1, reason: 'smallest budget not significantly worse than the best' },
    curve: [point(1), point(2)],
    infeasibleBudgets: [],
    trainedGroups: [],
    clustering: [
      {
        method: 'louvain',
        budget: 2,
        groups: [t.slice(0, 2), t.slice(2)],
        predicted: interval,
        versusSelection: { mean: 0.01, low: -0.01, high: 0.03, n: 3 },
        ari: 0.5,
      },
    ],
    earlyStopping: null,
    stability: { draws: 10, sameGrouping: 0.9, meanAri: 0.95 },
    closedLoop: {
      seeds: [1],
      predicted: 2.5,
      actual: interval,
      baselines: [
        { name: 'every task alone', actual: interval, selectedMinusBaseline: { mean: -0.1, low: -0.2, high: 0, n: 3 } },
      ],
    },
  };
  writeFileSync(join(dir, 'grouping.json'), JSON.stringify(written));
  writeFileSync(
    join(dir, 'proxies.json'),
    JSON.stringify({
      taskNames: t,
      proxies: [
        {
          proxy: 'gradient cosine',
          agreement: { spearman: 0.3, points: [{ target: 0, source: 1, truth: 0.01, estimate: null }] },
          grouping: {
            meanAri: 0.2,
            meanRegret: 0.04,
            points: [
              {
                method: 'average linkage',
                budget: 2,
                groups: [
                  [0, 1],
                  [2, 3],
                ],
                predicted: { ...interval, totals: [1, 2, 3] },
                versusSelection: interval,
                ari: 0.2,
              },
            ],
          },
        },
      ],
      truth: {
        dir,
        sweepSeconds: 10,
        grouping: { budgets: [2], sweepMatrix: { points: [], meanAri: 0.6, meanRegret: 0.01 }, halfVsHalfAri: null },
      },
    }),
  );
  const input = readReportInput(dir);
  const { provenance: _p, taskNames: _t, trainedGroups: _g, ...drawn } = written;
  assert.deepEqual(input.grouping, drawn, 'the analyses around the curve are read; provenance and settings are not');
  assert.deepEqual(input.proxies, {
    proxies: [
      {
        proxy: 'gradient cosine',
        spearman: 0.3,
        points: [{ target: t[0], source: t[1], truth: 0.01, estimate: null }],
        grouping: {
          meanAri: 0.2,
          meanRegret: 0.04,
          points: [{ budget: 2, groups: [t.slice(0, 2), t.slice(2)], ari: 0.2, versusSelection: interval }],
        },
      },
    ],
    truth: { grouping: { budgets: [2], sweepMatrix: { meanAri: 0.6, meanRegret: 0.01 }, halfVsHalfAri: null } },
  });
  const data = JSON.parse(dataScript(renderReport(input)));
  assert.equal(data.grouping.level, 0.9);
  assert.deepEqual(data.grouping.chosenBudget, written.chosenBudget);
  assert.equal(data.grouping.earlyStopping, null, 'a journal without per-epoch losses is said, not hidden');

  writeFileSync(
    join(dir, 'grouping.json'),
    JSON.stringify({ ...written, closedLoop: { ...written.closedLoop, actual: { ...interval, low: 'x' } } }),
  );
  assert.throws(
    () => readReportInput(dir),
    (e: unknown) =>
      e instanceof InputError &&
      /grouping\.json grouping\.closedLoop\.actual\.low: expected a finite number or null/.test(e.message),
  );
  writeFileSync(join(dir, 'grouping.json'), JSON.stringify({ ...written, chosenBudget: { budget: 1 } }));
  assert.throws(
    () => readReportInput(dir),
    (e: unknown) =>
      e instanceof InputError && /grouping\.json grouping\.chosenBudget\.reason: expected a string/.test(e.message),
  );

  // a bare list of curve points (the shape before grouping.json was an object) is refused, naming the file
  writeFileSync(
    join(dir, 'grouping.json'),
    JSON.stringify([{ budget: 1, predictedLoss: 2.5, groups: [t], method: 'exact' }]),
  );
  assert.throws(
    () => readReportInput(dir),
    (e: unknown) => e instanceof InputError && /grouping\.json/.test(e.message),
  );
});

test('writeReport writes <dir>/index.html', () => {
  const dir = join(tempDir(), 'nested');
  mkdirSync(dir);
  const file = writeReport(dir, sweepOnlyInput());
  assert.equal(file, join(dir, 'index.html'));
  assert.ok(existsSync(file));
  assert.match(readFileSync(file, 'utf8'), /^<!DOCTYPE html>/);
});

test('one replication: null intervals and reliability render as "not measurable", not as numbers', () => {
  const affinity = syntheticAffinity(3);
  const nulls = affinity.mean.map((row) => row.map(() => null));
  const input = {
    affinity: {
      ...affinity,
      low: nulls,
      high: nulls,
      replications: ['s0'],
      reliability: { halfCorrelation: null, reliability: null, replications: 1, splits: 0 },
    },
  };
  const html = renderReport(input);
  assert.match(html, /not measurable/);
  assert.match(html, /With 1 replication; run more seeds/);
  assert.deepEqual(JSON.parse(dataScript(html)).heatmap.low, nulls);
});

test('a page of many tasks embeds each cell once, as gains, verdicts and interval codes: no bounds, p-values or cell objects', () => {
  const T = PAGE_BOUNDS_UP_TO + 20;
  const affinity = syntheticAffinity(T);
  const html = renderReport({ affinity });
  const data = JSON.parse(dataScript(html));
  const { heatmap } = data;
  assert.equal(heatmap.low, undefined);
  assert.equal(heatmap.high, undefined);
  assert.equal(heatmap.pValue, undefined);
  assert.equal(heatmap.intervals.length, T);
  assert.equal(heatmap.intervals[0][1], '?', 'an unknown interval');
  const [low, high] = [affinity.low[2][3] as number, affinity.high[2][3] as number];
  assert.equal(heatmap.intervals[2][3], low > 0 ? '+' : high < 0 ? '-' : '0');
  // every value of the page's data: no list of more than T entries, no object per cell, one number per cell at most
  let numbers = 0;
  let objects = 0;
  const walk = (value: unknown): void => {
    if (typeof value === 'number') numbers++;
    if (Array.isArray(value)) {
      assert.ok(value.length <= T, `a list of ${value.length} entries`);
      value.forEach(walk);
    } else if (typeof value === 'object' && value !== null) {
      objects++;
      Object.values(value).forEach(walk);
    }
  };
  walk(data);
  assert.ok(numbers < T * T + 10 * T, `${numbers} numbers for ${T * T} cells`);
  assert.ok(objects < 10 * T, `${objects} objects for ${T * T} cells`);
  assert.match(html, /the intervals' bounds and the p-values are in <code>affinity\.csv<\/code>/);
  const few = JSON.parse(dataScript(renderReport({ affinity: syntheticAffinity(PAGE_BOUNDS_UP_TO) }))).heatmap;
  assert.equal(few.low.length, PAGE_BOUNDS_UP_TO, 'up to PAGE_BOUNDS_UP_TO tasks the page keeps every bound');
  assert.equal(few.intervals, undefined);
});

test('above PAGE_BOUNDS_UP_TO tasks the page data is made without bounds or p-values, coded as the rounded bounds were; the paper keeps them', () => {
  const T = PAGE_BOUNDS_UP_TO + 20;
  const affinity = syntheticAffinity(T);
  // bounds that round to zero at the page's four decimals: their codes are those of the rounded bounds ('0')
  affinity.mean[2][3] = 0.01;
  affinity.low[2][3] = 0.00004;
  affinity.high[2][3] = 0.02;
  affinity.mean[3][2] = -0.01;
  affinity.low[3][2] = -0.02;
  affinity.high[3][2] = -0.00004;
  const page = reportData({ affinity }, true).heatmap;
  assert.deepEqual(
    [page.low, page.high, page.pValue],
    [undefined, undefined, undefined],
    'the data the page is written from never holds the bounds or p-values',
  );
  const full = reportData({ affinity }).heatmap;
  assert.equal(full.low?.length, T, "the paper's tables read every bound");
  assert.equal(full.pValue?.length, T);
  assert.deepEqual(page.intervals, encodeIntervals(full.low ?? [], full.high ?? []), 'the codes of the rounded bounds');
  assert.equal(page.intervals?.[2][3], '0');
  assert.equal(page.intervals?.[3][2], '0');
  assert.equal(
    page.intervals?.[2][4],
    (affinity.low[2][4] as number) > 0 ? '+' : (affinity.high[2][4] as number) < 0 ? '-' : '0',
  );
  const { low, high, pValue, ...shared } = full;
  const { intervals, ...pageShared } = page;
  assert.deepEqual(pageShared, shared, 'gains, order, verdicts and the rest as the paper has them');
  assert.deepEqual(Object.keys(page).at(-1), 'intervals', 'the codes last, where the page has always had them');
  assert.deepEqual(JSON.parse(dataScript(renderReport({ affinity }))).heatmap, JSON.parse(JSON.stringify(page)));
});
