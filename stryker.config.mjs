// Mutation testing of the pure modules (`npm run mutate`, outside `npm test`: it is slow). Each target mutates a few
// source files and runs only the tests that exercise them, so one target takes minutes, not hours.
// `npm run mutate -- <target,...>` picks targets (default: all); the HTML report goes to reports/mutation/.
const TARGETS = {
  stats: { mutate: ['src/affinity/stats.ts', 'src/affinity/reliability.ts'], tests: ['affinity/stats'] },
  inference: { mutate: ['src/affinity/inference.ts'], tests: ['affinity/inferCells'] },
  split: { mutate: ['src/data/split.ts'], tests: ['data/split', 'data/standardise', 'engine/selection'] },
  selection: {
    mutate: [
      'src/grouping/select.ts',
      'src/grouping/selection.ts',
      'src/grouping/selectIlp.ts',
      'src/grouping/selectBruteForce.ts',
      'src/grouping/selectHeuristic.ts',
      'src/grouping/serving.ts',
    ],
    tests: ['grouping/selectionUnits', 'grouping/select', 'grouping/strategies', 'grouping/loop'],
  },
  ahp: { mutate: ['src/taxonomy/ahp.ts'], tests: ['taxonomy/ahp'] },
  bip: { mutate: ['src/taxonomy/bip.ts'], tests: ['taxonomy/bip'] },
  penalties: { mutate: ['src/baselines/penalties.ts'], tests: ['baselines/optimality', 'baselines/clustered'] },
};

const chosen = (process.env.TRA_MUTATE || Object.keys(TARGETS).join(',')).split(',').map((name) => {
  const target = TARGETS[name.trim()];
  if (!target) {
    process.stderr.write(`npm run mutate: unknown target '${name}'; choose from ${Object.keys(TARGETS).join(', ')}\n`);
    process.exit(2);
  }
  return target;
});

export default {
  packageManager: 'npm',
  mutate: chosen.flatMap((t) => t.mutate),
  testRunner: 'tap',
  tap: {
    testFiles: [...new Set(chosen.flatMap((t) => t.tests))].map((name) => `dist/test/${name}.test.js`),
    forceBail: true,
  },
  buildCommand: 'npx tsc -p .',
  coverageAnalysis: 'perTest',
  plugins: ['@stryker-mutator/tap-runner'],
  reporters: ['clear-text', 'html', 'json', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  thresholds: { high: 90, low: 80, break: null },
  // TRA_MUTATE_CONCURRENCY=1 on a shared machine: each test process may itself use a core.
  concurrency: Number(process.env.TRA_MUTATE_CONCURRENCY ?? 2),
  // Added to 1.5x a test file's own time: a mutant that loops forever (the heuristic's search) costs 15 s, not a minute.
  timeoutMS: 15000,
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['reports', 'dist', '.native-cache'],
};
