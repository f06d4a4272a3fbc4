import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readJournal } from '../../src/sweep/journal.js';
import { fillDisk, mountSmallDisk, noDisks } from '../helpers/disk.js';
import { tempDir } from '../helpers/files.js';
import { sweepArgs, writePlantedCsv } from '../helpers/killResume.js';

const sweep = (data: string, out: string) =>
  spawnSync(process.execPath, sweepArgs(data, out, { seeds: 4, epochs: 5, hidden: 8 }), { encoding: 'utf8' });

/**
 * Equal numbers: bit for bit on the native trainer and wasm; tfjs on libtensorflow is not bitwise reproducible between
 * fused batches of other compositions (a resumed sweep's), so there within 1e-5.
 */
function near(actual: number[] | undefined, expected: number[] | undefined, what: string): void {
  assert.ok(actual && expected && actual.length === expected.length, `${what}: ${actual} vs ${expected}`);
  if (process.env.TRA_BACKEND !== 'tensorflow') assert.deepEqual(actual, expected, what);
  else actual.forEach((v, k) => assert.ok(Math.abs(v - expected[k]) < 1e-5, `${what}: ${v} vs ${expected[k]}`));
}

test('a disk that fills up mid-sweep: exit 2 naming the journal, the journal valid, and after freeing space the resumed sweep equals an uninterrupted one', {
  skip: noDisks(),
}, () => {
  const data = join(tempDir(), 'data.csv');
  writePlantedCsv(data, 120);
  const reference = join(tempDir(), 'reference');
  const uninterrupted = sweep(data, reference);
  assert.equal(uninterrupted.status, 0, uninterrupted.stderr);

  const disk = join(tempDir(), 'disk');
  const mount = mountSmallDisk(disk, 1024 * 1024);
  try {
    copyFileSync(data, join(disk, 'data.csv'));
    const out = join(disk, 'out');
    // Room for the files written before training (the folder's mark, lock, definition) and the journal's first pages,
    // a page (4 kB) more each time, until the disk fills up mid-sweep (the first batch fits, a later one does not).
    const journal = join(out, 'journal.jsonl');
    let full: ReturnType<typeof sweep> | undefined;
    let filler = '';
    for (let pages = 3; pages <= 12; pages++) {
      rmSync(out, { recursive: true, force: true });
      if (filler) rmSync(filler);
      filler = fillDisk(disk, pages * 4096);
      full = sweep(join(disk, 'data.csv'), out);
      if (full.status !== 2 || (existsSync(journal) && readJournal(journal).records.size > 0)) break;
    }
    assert.ok(full);
    assert.equal(full.status, 2, full.stderr);
    assert.match(
      full.stderr,
      /^tra: .*\/out\/journal\.jsonl: cannot write \(no space left on the device, ENOSPC\); free some space or choose another output folder, then rerun the same command \(finished work is kept\)\n$/,
    );
    const cut = readJournal(journal);
    assert.equal(cut.tornLine, false, 'the journal ends with a whole record');
    const all = readJournal(join(reference, 'journal.jsonl')).records;
    assert.ok(
      cut.records.size > 0 && cut.records.size < all.size,
      `stopped mid-sweep (${cut.records.size} of ${all.size})`,
    );
    for (const [id, record] of cut.records) near(record.testLoss, all.get(id)?.testLoss, id);
    assert.deepEqual(
      readdirSync(out).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
    process.stdout.write(`# full disk: ${full.stderr.trim()} (${cut.records.size} of ${all.size} records kept)\n`);

    rmSync(filler);
    const resumed = sweep(join(disk, 'data.csv'), out);
    assert.equal(resumed.status, 0, resumed.stderr);
    const records = readJournal(join(out, 'journal.jsonl')).records;
    assert.deepEqual([...records.keys()].sort(), [...all.keys()].sort(), 'every network once');
    for (const [id, record] of records) near(record.testLoss, all.get(id)?.testLoss, id);
    const matrix = (dir: string): number[] =>
      JSON.parse(readFileSync(join(dir, 'affinity.json'), 'utf8'))
        .mean.flat()
        .filter((v: unknown) => v !== null);
    near(matrix(out), matrix(reference), 'the resumed matrix is the uninterrupted one');
  } finally {
    mount.unmount();
  }
});
