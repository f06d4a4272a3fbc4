import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeArtefacts } from '../../src/analysis/write.js';
import { costedNetworks, runImport, standleyBudgets } from '../../src/analysis/import.js';
import { DataError } from '../../src/data/errors.js';
import { readStandleyTable } from '../../src/data/standleyTable.js';
import { approximateHigherOrder, type CostedNetwork, type CostedPoint } from '../../src/grouping/costedSelection.js';
import { tempDir, writeTemp } from '../helpers/files.js';

/**
 * Independent of the toolkit's solvers: every set of at most T networks within the budget (an optimal selection
 * never needs more networks than tasks), its total as each task's lowest loss, and for every budget the optimum and
 * the test totals (main.cpp's rule: each task's lowest test loss among the chosen) of all selections that tie with it.
 */
function bruteForce(selectOn: CostedNetwork[], test: CostedNetwork[], taskCount: number, budgets: number[]) {
  const key = (n: CostedNetwork) => `${n.group.join(',')}@${n.cost}`;
  const testOf = new Map(test.map((n) => [key(n), n]));
  const dense = (n: CostedNetwork) =>
    Array.from({ length: taskCount }, (_, t) => (n.group.includes(t) ? n.loss[n.group.indexOf(t)] : Infinity));
  const rows = selectOn.map(dense);
  const testRows = selectOn.map((n) => (testOf.has(key(n)) ? dense(testOf.get(key(n)) as CostedNetwork) : undefined));
  const best = budgets.map(() => ({ total: Infinity, testTotals: [] as number[] }));
  const chosen: number[] = [];
  const maxBudget = Math.max(...budgets) + 1e-9;
  const visit = (start: number, cost: number, served: number[]) => {
    const total = served.reduce((s, l) => s + l, 0);
    if (Number.isFinite(total))
      budgets.forEach((budget, b) => {
        if (cost > budget + 1e-9) return;
        const slot = best[b];
        const tie = Math.abs(total - slot.total) <= 1e-9 * Math.max(1, total);
        if (!tie && total > slot.total) return;
        const testServed = Array.from({ length: taskCount }, (_, t) =>
          Math.min(...chosen.map((c) => (testRows[c] as number[])[t])),
        );
        const testTotal = testServed.reduce((s, l) => s + l, 0);
        if (tie) slot.testTotals.push(testTotal);
        else best[b] = { total, testTotals: [testTotal] };
      });
    if (chosen.length === taskCount) return;
    for (let c = start; c < selectOn.length; c++) {
      if (cost + selectOn[c].cost > maxBudget || !testRows[c]) continue;
      chosen.push(c);
      visit(
        c + 1,
        cost + selectOn[c].cost,
        served.map((l, t) => Math.min(l, rows[c][t])),
      );
      chosen.pop();
    }
  };
  visit(0, 0, new Array<number>(taskCount).fill(Infinity));
  return best;
}

const close = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance;

/** Asserts a curve is optimal on its selection losses and scores like one of the optimal selections on test. */
function assertOptimal(curve: CostedPoint[], expected: ReturnType<typeof bruteForce>, label: string) {
  curve.forEach((p, b) => {
    assert.ok(
      close(p.selectedTotal, expected[b].total, 1e-9),
      `${label} budget ${p.budget}: selected on ${p.selectedTotal}, brute force ${expected[b].total}`,
    );
    assert.ok(
      expected[b].testTotals.some((t) => close(t, p.testTotal, 1e-12)),
      `${label} budget ${p.budget}: test ${p.testTotal} not among the optimal selections' ${expected[b].testTotals}`,
    );
  });
}

// A 3-task table: the all-in-one network is best at budget 1; a half-size single beats a full one for task 3.
const SYNTHETIC = {
  validation: [
    '0.50\t0.40\t0.31',
    '0.45\t\t',
    '\t0.38\t',
    '\t\t0.30',
    '0.41\t0.42\t',
    '0.44\t\t0.36',
    '\t0.41\t0.33',
    '0.43\t0.39\t0.34',
  ],
  test: [
    '0.52\t0.41\t0.30',
    '0.46\t\t',
    '\t0.39\t',
    '\t\t0.31',
    '0.41\t0.43\t',
    '0.45\t\t0.35',
    '\t0.40\t0.34',
    '0.44\t0.40\t0.33',
  ],
};

test('Standley table format: selections for every budget 1..T in steps of 1/2 match a brute force, half-size networks at cost 1/2', async () => {
  const validation = writeTemp('results.txt', `${SYNTHETIC.validation.join('\n')}\n`);
  const testFile = writeTemp('results_test.txt', `${SYNTHETIC.test.join('\n')}\n`);
  const { standley, journal } = await runImport(validation, {
    out: join(tempDir(), 'standley'),
    format: 'standley',
    testTable: testFile,
    taskNames: ['x', 'y', 'z'],
    method: 'auto',
    level: 0.95,
    fdr: 0.05,
  });
  assert.ok(standley);
  assert.deepEqual(
    standley.optimal.map((p) => p.budget),
    [1, 1.5, 2, 2.5, 3],
  );
  assert.equal(
    journal.records.length,
    7,
    'the full-size networks are the journal; half-size ones only enter the selection',
  );
  const val = costedNetworks(readStandleyTable(validation));
  const tst = costedNetworks(readStandleyTable(testFile));
  assertOptimal(standley.optimal, bruteForce(val, tst, 3, standleyBudgets(3)), 'optimal');
  assertOptimal(
    standley.approximation,
    bruteForce(approximateHigherOrder(val, ['x', 'y', 'z']), tst, 3, standleyBudgets(3)),
    'approximation',
  );
  // by hand: budget 1 is the all-in-one network (1.16 on validation); budget 1.5 adds z's half-size network (0.31 < 0.34)
  assert.deepEqual(
    standley.optimal[0].networks.map((n) => n.group),
    [[0, 1, 2]],
  );
  assert.deepEqual(
    standley.optimal[1].networks.map((n) => [n.group, n.cost]),
    [
      [[2], 0.5],
      [[0, 1, 2], 1],
    ],
  );
  assert.ok(close(standley.optimal[1].selectedTotal, 0.43 + 0.39 + 0.31, 1e-12));
  assert.ok(close(standley.optimal[1].testTotal, 0.44 + 0.4 + 0.3, 1e-12));
  // the approximation replaces the all-in-one network by pair means: x (0.41 + 0.44) / 2, z (0.36 + 0.33) / 2
  const all = standley.approximation[0].networks[0];
  assert.ok(all.approximated && close(all.loss[0], 0.425, 1e-12) && close(all.loss[2], 0.345, 1e-12));
});

/** A Standley table pair as long-format rows: the half-size line at cost 0.5, every other line a full-size network. */
function tableAsLongCsv(
  tables: { validation: string[]; test: string[] },
  tasks: string[],
  keep: (network: string) => boolean = () => true,
): string {
  const rows = (['validation', 'test'] as const).flatMap((split) =>
    tables[split].flatMap((line, k) => {
      const cells = line.split('\t').flatMap((cell, t) => (cell === '' ? [] : [{ task: tasks[t], loss: cell }]));
      const network = cells.map((c) => c.task).join('+');
      if (k === 0) return cells.map((c) => `${c.task},${c.task},0,${split},${c.loss},0.5`);
      return keep(network) ? cells.map((c) => `${network},${c.task},0,${split},${c.loss},`) : [];
    }),
  );
  return `${['network,task,seed,split,loss,cost', ...rows].join('\n')}\n`;
}

test('long format with a cost column: half-size networks select as in the Standley table format; untrained groups are approximated and marked', async () => {
  const tasks = ['x', 'y', 'z'];
  const standleyFiles = {
    validation: writeTemp('results.txt', `${SYNTHETIC.validation.join('\n')}\n`),
    test: writeTemp('results_test.txt', `${SYNTHETIC.test.join('\n')}\n`),
  };
  const options = { format: 'long' as const, taskNames: tasks, method: 'auto' as const, level: 0.95, fdr: 0.05 };
  const table = await runImport(standleyFiles.validation, {
    ...options,
    out: join(tempDir(), 'table'),
    format: 'standley',
    testTable: standleyFiles.test,
  });
  const long = await runImport(writeTemp('losses.csv', tableAsLongCsv(SYNTHETIC, tasks)), {
    ...options,
    out: join(tempDir(), 'long'),
  });
  assert.equal(long.journal.records.length, 7, 'the full-size networks are the journal');
  assert.deepEqual(
    long.journal.costed.map((c) => [c.record.group, c.cost]),
    [
      [[0], 0.5],
      [[1], 0.5],
      [[2], 0.5],
    ],
  );
  // the same optima (ties may be broken by another but equally optimal selection, so checked against the brute force)
  const val = costedNetworks(readStandleyTable(standleyFiles.validation));
  const tst = costedNetworks(readStandleyTable(standleyFiles.test));
  assert.ok(long.standley && table.standley);
  assertOptimal(long.standley.optimal, bruteForce(val, tst, 3, standleyBudgets(3)), 'long optimal');
  assertOptimal(
    long.standley.approximation,
    bruteForce(approximateHigherOrder(val, tasks), tst, 3, standleyBudgets(3)),
    'long approximation',
  );
  assert.deepEqual(
    long.standley.optimal[1].networks.map((n) => [n.group, n.cost]).sort(),
    [
      [[0, 1, 2], 1],
      [[2], 0.5],
    ],
    'budget 1.5 adds the half-size z',
  );

  // without the all-in-one network, budget 1 can only be the approximated {x, y, z}: chosen, and marked as such
  const partial = await runImport(
    writeTemp(
      'partial.csv',
      tableAsLongCsv(SYNTHETIC, tasks, (n) => n !== 'x+y+z'),
    ),
    { ...options, out: join(tempDir(), 'partial') },
  );
  const [atOne] = partial.standley?.optimal ?? [];
  assert.deepEqual(
    atOne.networks.map((n) => [n.group, n.approximated]),
    [[[0, 1, 2], true]],
  );
  assert.ok(
    close(atOne.selectedTotal, (0.41 + 0.44) / 2 + (0.42 + 0.41) / 2 + (0.36 + 0.33) / 2, 1e-12),
    'chosen on its pair means',
  );
  assert.ok(
    close(atOne.testTotal, (0.41 + 0.45) / 2 + (0.43 + 0.4) / 2 + (0.35 + 0.34) / 2, 1e-12),
    'scored on its test pair means',
  );
  const measured = partial.standley?.optimal.flatMap((p) => p.networks).filter((n) => !n.approximated) ?? [];
  assert.ok(
    measured.some((n) => n.cost === 0.5),
    'half-size networks are chosen where they pay',
  );
  assert.match(
    readFileSync(writeArtefacts(partial).find((f) => f.endsWith('standley.csv')) as string, 'utf8'),
    /optimal,1,optimal,[\d.]+,[\d.]+,[\d.]+,~x\+y\+z\n/,
  );
});

test('a Standley table with a bad cell or a short line is rejected with its line', () => {
  const bad = (lines: string[], pattern: RegExp) =>
    assert.throws(
      () => readStandleyTable(writeTemp('results.txt', `${lines.join('\n')}\n`)),
      (e: unknown) => e instanceof DataError && pattern.test(e.message),
    );
  bad(
    SYNTHETIC.validation.map((l, k) => (k === 3 ? '\tabc\t' : l)),
    /results\.txt:4 column 'task 2': expected a positive loss or an empty cell, got 'abc'/,
  );
  bad(
    SYNTHETIC.validation.map((l, k) => (k === 5 ? '0.44\t0.3' : l)),
    /results\.txt:6: expected 3 tab-separated cells as on line 1, found 2/,
  );
  bad(
    [...SYNTHETIC.validation, SYNTHETIC.validation[4]],
    /results\.txt:9: the network of tasks 1\+2 is also on line 5/,
  );
});

/**
 * Standley et al.'s published inputs (tstandley/taskgrouping, network_selection/: results*.txt, read by its main.cpp).
 * Not committed (fetched files stay out of the repository): read from ../shared/data/standley/ beside the repository,
 * or from $TRA_STANDLEY_DIR. main.cpp's answers below were printed by compiling that main.cpp (g++ -O2, the random and
 * worst-case baselines removed) and running it in that folder; the brute force re-derives them independently.
 */
/** main.cpp's do_setting calls, in order: validation, test and early-stopping tables. */
const SETTINGS = [
  ['results.txt', 'results_test.txt', 'results_20.txt'],
  ['results_large.txt', 'results_large_test.txt', 'results_large_20.txt'],
  ['results_small_data.txt', 'results_small_data_test.txt', 'results_small_data_at4.txt'],
  ['results_alt.txt', 'results_alt_test.txt', 'results_alt_20.txt'],
];

/** main.cpp's output, verbatim (random and worst omitted): per setting, the test totals for budgets 1, 1.5, ..., 5. */
const MAIN_CPP_OUTPUT = `
setting 1
optimal = [0.50278, 0.46132, 0.45224, 0.44612, 0.44235, 0.43932, 0.43555, 0.43555, 0.43481, ]
esa = [0.50278, 0.48732, 0.46727, 0.46063, 0.45722, 0.45058, 0.45058, 0.44742, 0.44742, ]
hoa = [0.50278, 0.46132, 0.45474, 0.4505, 0.44875, 0.44489, 0.44112, 0.44552, 0.44196, ]

setting 2
optimal = [0.35989, 0.35478, 0.31733, 0.3145, 0.30606, 0.3049, 0.3019, 0.3019, 0.30167, ]
esa = [0.35989, 0.35989, 0.34696, 0.34696, 0.34483, 0.34483, 0.34483, 0.34483, 0.34483, ]
hoa = [0.35989, 0.35758, 0.31733, 0.31562, 0.31177, 0.30525, 0.3019, 0.3019, 0.30187, ]

setting 3
optimal = [0.42998, 0.42275, 0.40857, 0.38776, 0.38352, 0.38352, 0.38249, 0.38249, 0.38249, ]
esa = [0.42998, 0.44778, 0.43055, 0.39507, 0.40381, 0.39404, 0.40278, 0.39404, 0.40278, ]
hoa = [0.42998, 0.44778, 0.40887, 0.38776, 0.38352, 0.38682, 0.38574, 0.38574, 0.38471, ]

setting 4
optimal = [0.684042, 0.678697, 0.674597, 0.671067, 0.669696, 0.669696, 0.668986, 0.668986, 0.668986, ]
esa = [0.684042, 0.684042, 0.677567, 0.680649, 0.677349, 0.676049, 0.676049, 0.675976, 0.675976, ]
hoa = [0.684042, 0.678697, 0.674597, 0.671067, 0.669696, 0.671867, 0.670496, 0.670496, 0.670496, ]
`;

function mainCppTotals(): Record<'optimal' | 'esa' | 'hoa', number[]>[] {
  return MAIN_CPP_OUTPUT.split(/setting \d+/)
    .slice(1)
    .map((block) => {
      const curve = (name: string) =>
        (/\[(.*)\]/.exec(block.split('\n').find((l) => l.startsWith(`${name} =`)) as string) as RegExpExecArray)[1]
          .split(',')
          .filter((v) => v.trim() !== '')
          .map(Number);
      return { optimal: curve('optimal'), esa: curve('esa'), hoa: curve('hoa') };
    });
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const standleyDir = [join(repoRoot, '..', 'shared', 'data', 'standley'), process.env.TRA_STANDLEY_DIR].find(
  (d) => d !== undefined && existsSync(join(d, 'results.txt')),
);

test("Standley et al.'s published tables: optimal, early-stopping and pairwise-approximated selections reproduce main.cpp for every budget of every setting", {
  skip: standleyDir
    ? false
    : 'Standley tables absent: put tstandley/taskgrouping network_selection/results*.txt in ../shared/data/standley/ or set TRA_STANDLEY_DIR',
}, async (t) => {
  const dir = standleyDir as string;
  let same = 0;
  const ties: string[] = [];
  const printed = mainCppTotals();
  assert.equal(printed.length, SETTINGS.length);
  for (const [k, [validationFile, testFile, earlyFile]] of SETTINGS.entries()) {
    const file = (name: string) => join(dir, name);
    const setting = validationFile.replace('.txt', '');
    const expected = printed[k];
    const { standley } = await runImport(file(validationFile), {
      out: join(tempDir(), setting),
      format: 'standley',
      testTable: file(testFile),
      earlyTable: file(earlyFile),
      method: 'auto',
      level: 0.95,
      fdr: 0.05,
    });
    assert.ok(standley?.earlyStopping);
    const val = costedNetworks(readStandleyTable(file(validationFile)));
    const tst = costedNetworks(readStandleyTable(file(testFile)));
    const early = costedNetworks(readStandleyTable(file(earlyFile)));
    const budgets = standleyBudgets(5);
    const curves: [string, CostedPoint[], CostedNetwork[], number[]][] = [
      ['optimal', standley.optimal, val, expected.optimal],
      ['esa', standley.earlyStopping, early, expected.esa],
      ['hoa', standley.approximation, approximateHigherOrder(val, standley.taskNames), expected.hoa],
    ];
    for (const [name, curve, selectOn, mainCpp] of curves) {
      const brute = bruteForce(selectOn, tst, 5, budgets);
      assertOptimal(curve, brute, `${setting} ${name}`);
      curve.forEach((p, b) => {
        // main.cpp prints 6 significant digits
        assert.ok(
          brute[b].testTotals.some((x) => close(x, mainCpp[b], 6e-6)),
          `${setting} ${name} budget ${p.budget}: main.cpp's ${mainCpp[b]} is not an optimal selection's test total`,
        );
        if (close(p.testTotal, mainCpp[b], 6e-6)) same++;
        else
          ties.push(
            `${setting} ${name} budget ${p.budget}: ${p.testTotal.toFixed(5)} vs main.cpp ${mainCpp[b]} (validation tie among ${brute[b].testTotals.length} optimal selections)`,
          );
      });
    }
  }
  t.diagnostic(
    `${same} of 108 test totals equal main.cpp's; ${ties.length} differ only by the choice among tied optimal selections: ${ties.join('; ')}`,
  );
  assert.ok(same >= 107, `only ${same} of 108 equal`);
});
