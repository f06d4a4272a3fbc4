/** Runners decide and return data; the writing step is separate, and nothing that reads writes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupImported } from '../../src/analysis/group.js';
import { runImport } from '../../src/analysis/import.js';
import { fileURLToPath } from 'node:url';
import { affinityFromJournal, runPairwiseAnalysis } from '../../src/analysis/pairwise.js';
import { completeSpec } from '../../src/analysis/spec.js';
import { writeArtefacts } from '../../src/analysis/write.js';
import { runCli } from '../../src/cli/program.js';
import { writeReportForDir } from '../../src/report/html/index.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir, writeTemp } from '../helpers/files.js';
import { SMALL_ENGINE } from '../helpers/sweep.js';
import { longCsv, plantedLongRows } from '../helpers/losses.js';

const TASKS = ['a', 'b', 'c', 'd'];
const CLUSTERS = [0, 0, 1, 1];
const listing = (dir: string): string => JSON.stringify(readdirSync(dir, { recursive: true }).sort());

test('an import at level 0.9 stays at 0.9: tra group <folder> neither rewrites affinity.json nor resets the level', async () => {
  const out = join(tempDir(), 'imported');
  const file = writeTemp('losses.csv', longCsv(plantedLongRows(TASKS, CLUSTERS, 3)));
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write; // the commands' tables
  try {
    assert.equal(await runCli(['import', file, '--out', out, '--level', '0.9', '--fdr', '0.1']), 0);
    const affinity = readFileSync(join(out, 'affinity.json'), 'utf8');
    assert.equal(JSON.parse(affinity).level, 0.9);
    assert.equal(await runCli(['group', out, '--bootstrap', '3', '--quiet']), 0);
    assert.equal(readFileSync(join(out, 'affinity.json'), 'utf8'), affinity, 'affinity.json untouched by tra group');
    const grouping = JSON.parse(readFileSync(join(out, 'grouping.json'), 'utf8'));
    assert.equal(grouping.level, 0.9, "the grouping's intervals at the folder's level");
    // an explicit --level is the user's choice for the grouping; the affinity file still stays as it was
    assert.equal(await runCli(['group', out, '--bootstrap', '3', '--quiet', '--level', '0.8']), 0);
    assert.equal(JSON.parse(readFileSync(join(out, 'grouping.json'), 'utf8')).level, 0.8);
    assert.equal(readFileSync(join(out, 'affinity.json'), 'utf8'), affinity);
  } finally {
    process.stdout.write = write;
  }
});

test('a runner writes no artefact: the import writes its journal, affinityFromJournal and groupImported write nothing', async () => {
  const out = join(tempDir(), 'quiet');
  const file = writeTemp('losses.csv', longCsv(plantedLongRows(TASKS, CLUSTERS, 3)));
  const imported = await runImport(file, { out });
  const afterImport = listing(out);
  assert.ok(!afterImport.includes('affinity.json'), afterImport);
  assert.ok(afterImport.includes('journal.jsonl'), afterImport);
  const recomputed = affinityFromJournal(out, { level: 0.8 });
  assert.equal(recomputed.artefacts.affinity?.level, 0.8);
  const grouped = await groupImported(out, { bootstrap: 3 });
  assert.equal(listing(out), afterImport, 'nothing written by reading and deciding');
  assert.ok(grouped.artefacts.grouping && !grouped.artefacts.affinity);
  const files = writeArtefacts(imported);
  assert.ok(files.some((f) => f.endsWith('affinity.json')) && files.some((f) => f.endsWith('index.html')));
});

test('the page a sweep writes is the page tra report makes from its files: drawn from the affinity as written, not read again', async () => {
  await testBackend();
  // one seed (intervals NaN, written as null) and a null-control task (fields the schema does not name)
  const spec = completeSpec(
    {
      name: 'page',
      data: fileURLToPath(new URL('../../../analyses/data/emotions.csv', import.meta.url)),
      tasks: 'last:3',
      seeds: 1,
      nullTasks: 1,
      split: { kind: 'holdout', validation: 0.2, test: 0.2 },
      engine: { ...SMALL_ENGINE, epochs: 3 },
      out: tempDir(),
      backend: process.env.TRA_BACKEND || undefined,
    },
    'page test',
  );
  const result = await runPairwiseAnalysis(spec);
  assert.ok(result.estimate.low.flat().some(Number.isNaN), 'the affinity handed to the writer has NaN cells');
  writeArtefacts(result);
  const page = join(spec.out, 'index.html');
  const written = readFileSync(page, 'utf8');
  writeReportForDir(spec.out);
  assert.equal(written, readFileSync(page, 'utf8'));
});
