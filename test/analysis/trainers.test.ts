/**
 * The trainers' contract: every entry of TRAINERS (src/analysis/trainers.ts), on a small definition of its own,
 * trains a sweep whose journal holds one valid record per planned network, resumes without training anything, trains a
 * queued batch (a worker's side) to the journal's results, and refuses a sweep past the network limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type AnalysisSpec, readSpecFile } from '../../src/analysis/spec.js';
import { prepareAnalysis, TRAINERS } from '../../src/analysis/trainers.js';
import { InputError } from '../../src/data/errors.js';
import { networkId, parseSeeds, replicationsOf } from '../../src/sweep/plan.js';
import { checkNetworkRecord } from '../../src/sweep/record.js';
import { commandWorkspace } from '../helpers/command.js';
import { workspace } from '../helpers/hostile.js';
import { writeFileSync } from 'node:fs';

/** A small definition per trainer: adding a trainer without one fails the first test. */
const FIXTURES: Record<string, () => AnalysisSpec> = {
  engine: () => {
    const ws = workspace();
    const definition = join(ws, 'def.json');
    writeFileSync(
      definition,
      JSON.stringify({
        name: 'e',
        data: 'data.csv',
        tasks: 'last:3',
        seeds: 2,
        split: { kind: 'holdout' },
        engine: { epochs: 2, hidden: [4] },
        out: 'out',
        workers: 1,
      }),
    );
    return readSpecFile(definition, ws);
  },
  command: () => {
    const ws = commandWorkspace({ seeds: 2 });
    return readSpecFile(ws.definition, ws.dir);
  },
};

test('every trainer has a fixture, and every definition has exactly one trainer', () => {
  for (const trainer of TRAINERS) assert.ok(FIXTURES[trainer.name], `a fixture for the ${trainer.name} trainer`);
  for (const fixture of Object.values(FIXTURES)) {
    const spec = fixture();
    assert.equal(TRAINERS.filter((t) => t.trains(spec)).length, 1, spec.name);
  }
});

for (const trainer of TRAINERS)
  test(`the ${trainer.name} trainer keeps the contract: valid records, resume, a queued batch, the limit`, async () => {
    const spec = FIXTURES[trainer.name]();
    const prepared = await prepareAnalysis(spec, {});
    assert.ok(trainer.trains(spec));
    const seeds = parseSeeds(spec.seeds);
    const plan = { groups: prepared.groups, seeds, journalPath: prepared.journalPath };
    const sweep = await prepared.sweep(plan, {});
    const planned = replicationsOf(spec.split, seeds).flatMap((r) =>
      Array.from(prepared.groups, (g) => networkId(r.key, g)),
    );
    assert.deepEqual([...sweep.journal.records.keys()].sort(), [...planned].sort());
    for (const record of sweep.journal.records.values()) {
      const checked = checkNetworkRecord(record);
      assert.ok(checked.ok, `${record.id}: ${checked.ok ? '' : checked.problem}`);
    }

    const again = await prepared.sweep(plan, {});
    assert.equal(again.trained, 0);
    assert.equal(again.skipped, planned.length);

    const [first] = replicationsOf(spec.split, seeds);
    const batch = { seed: first.seed, fold: first.fold, key: first.key, groups: [...prepared.groups] };
    const outcomes = await prepared.trainBatch(batch, spec.out, { workers: 1 });
    for (const outcome of outcomes) {
      const record = sweep.journal.records.get(networkId(first.key, outcome.group));
      assert.ok(record);
      outcome.testLoss.forEach((loss, k) =>
        assert.ok(
          Math.abs(loss - record.testLoss[k]) <= 1e-5 * Math.max(1, loss),
          `${record.id}: ${loss} in the batch, ${record.testLoss[k]} in the journal`,
        ),
      );
    }
    assert.equal(outcomes.length, prepared.groups.length);

    await assert.rejects(
      prepared.plan({ groups: prepared.groups, toTrain: planned.length, maxHours: 1e-9, done: sweep.journal.records }),
      (error: unknown) => error instanceof InputError && /^--max-hours 1e-9: .*raise --max-hours/.test(error.message),
    );
  });
