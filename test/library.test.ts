import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as library from '../src/index.js';
import {
  completeSpec,
  readAffinity,
  readGrouping,
  runBaselines,
  runGroupAnalysis,
  runPairwiseAnalysis,
  writeArtefacts,
} from '../src/index.js';
import { tempDir, writeTemp, validCsv } from './helpers/files.js';

/** docs/LIBRARY.md's example. */
function readmeExample(): string {
  const section = readFileSync(new URL('../../docs/LIBRARY.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(code, 'docs/LIBRARY.md has a TypeScript example');
  return code[1];
}

test("docs/LIBRARY.md's example imports only what src/index.ts exports, and its calls run (on a tiny data set)", async () => {
  const example = readmeExample();
  const imported = /import \{([^}]+)\} from 'task-relations'/
    .exec(example)?.[1]
    .split(',')
    .map((name) => name.trim());
  assert.ok(imported && imported.length > 0);
  for (const name of imported) assert.ok(name in library, `src/index.ts exports ${name}`);
  // The same calls as the example, with the engine made tiny.
  const out = join(tempDir(), 'mine');
  const data = writeTemp('mine.csv', validCsv());
  const spec = completeSpec(
    {
      name: 'mine',
      data,
      tasks: 'last:3',
      seeds: 3,
      split: { kind: 'holdout' },
      out,
      engine: { epochs: 3, hidden: [8] },
      workers: 1,
    },
    'my script',
  );
  const pairwise = await runPairwiseAnalysis(spec);
  assert.equal(pairwise.estimate.taskNames.length, 3);
  assert.ok(!existsSync(join(out, 'affinity.json')), 'a runner writes no artefact itself');
  writeArtefacts(pairwise);
  const grouping = await runGroupAnalysis(spec, { bootstrap: 20 });
  assert.ok(grouping.choice.budget >= 1 && grouping.choice.budget <= 3);
  writeArtefacts(grouping);
  writeArtefacts(runBaselines({ data: spec.data, tasks: spec.tasks, cvFolds: 3, out: spec.out }));
  assert.deepEqual(readAffinity(join(out, 'affinity.json')).taskNames, ['a', 'b', 'r']);
  const curve = readGrouping(join(out, 'grouping.json'));
  assert.ok(!Array.isArray(curve) && curve.chosenBudget?.budget === grouping.choice.budget);
  assert.match(
    readFileSync(join(out, 'index.html'), 'utf8'),
    /id="view-baselines"/,
    "the baselines joined the folder's report",
  );
  assert.ok(existsSync(join(out, 'baselines.csv')));
});
