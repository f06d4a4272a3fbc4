import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/data/errors.js';
import { appendDurable, writeFileAtomic } from '../../src/io/write.js';
import { asNobody, failing, fillDisk, mountSmallDisk, noDisks } from '../helpers/disk.js';
import { tempDir } from '../helpers/files.js';

const big = 'x'.repeat(64 * 1024);

const writeModule = fileURLToPath(new URL('../../src/io/write.js', import.meta.url));
const SIZE = 4 << 20;

/**
 * A child that rewrites `path` over and over (4 MB of one letter each time), saying when the first write is done; with
 * `pieces`, each version is written as 64 KB pieces of a generator (as the affinity files and the page are).
 */
const rewriter = (path: string, pieces: boolean) =>
  spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { writeFileAtomic } = await import(${JSON.stringify(writeModule)});
       function* inPieces(letter) { for (let k = 0; k < ${SIZE / 65536}; k++) yield letter.repeat(65536); }
       for (let i = 0; ; i++) {
         const letter = String.fromCharCode(97 + (i % 26));
         writeFileAtomic(${JSON.stringify(path)}, ${pieces} ? inPieces(letter) : letter.repeat(${SIZE}));
         if (i === 0) console.log('written');
       }`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );

test('a writer killed at any moment leaves the file whole: one complete version, never a mix or a cut', async () => {
  const path = join(tempDir(), 'index.html');
  for (let round = 0; round < 6; round++) {
    const child = rewriter(path, round % 2 === 1);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 20 + 60 * round));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const text = readFileSync(path, 'utf8');
    assert.equal(text.length, SIZE, `round ${round}: the whole file`);
    assert.equal(text, text[0].repeat(SIZE), `round ${round}: one version`);
  }
});

test('a file written in pieces is their text; a failure while making them leaves the old file, or none, and no temporary file', () => {
  const dir = tempDir();
  const path = join(dir, 'affinity.csv');
  // 3 MB: more than one batch reaches the temporary file before the failure
  function* rows(fail: boolean): Generator<string> {
    for (let k = 0; k < 3000; k++) {
      if (fail && k === 2500) throw new Error('the writer failed at row 2500');
      yield `${String(k).padStart(999, '.')}\n`;
    }
  }
  assert.throws(() => writeFileAtomic(path, rows(true)), /row 2500/);
  assert.deepEqual(readdirSync(dir), [], 'no file, no temporary file');
  writeFileAtomic(path, rows(false));
  const whole = readFileSync(path, 'utf8');
  assert.equal(whole, [...rows(false)].join(''));
  assert.throws(() => writeFileAtomic(path, rows(true)), /row 2500/);
  assert.equal(readFileSync(path, 'utf8'), whole, 'the old file, whole');
  assert.deepEqual(readdirSync(dir), ['affinity.csv']);
});

test('a file written in pieces holds the bytes of their joined text, whatever characters cross the pieces', () => {
  const path = join(tempDir(), 'index.html');
  const emoji = '\u{1F600}';
  // multi-byte characters on both sides of the 1 MB batches, a surrogate pair split between two pieces, a lone
  // surrogate, a piece larger than a batch, empty pieces
  const pieces = [
    ...Array.from({ length: 40_000 }, (_, k) => `${k}:é—${emoji}${'x'.repeat(k % 37)}\n`),
    emoji.slice(0, 1),
    emoji.slice(1),
    '',
    '\ud800 alone',
    '—'.repeat(700_000),
    '',
    `${emoji.slice(0, 1)}`,
  ];
  writeFileAtomic(path, pieces.values());
  assert.deepEqual(readFileSync(path), Buffer.from(pieces.join('')));
});

test('a write that meets a full disk leaves the old file whole, no temporary file, and names the path', {
  skip: noDisks(),
}, () => {
  const dir = join(tempDir(), 'disk');
  const disk = mountSmallDisk(dir, 64 * 1024);
  try {
    const path = join(dir, 'affinity.json');
    writeFileAtomic(path, '{"old":true}\n');
    fillDisk(dir);
    assert.throws(
      () => writeFileAtomic(path, big),
      (error: Error) =>
        error instanceof InputError &&
        /disk\/affinity\.json: cannot write \(no space left on the device, ENOSPC\); free some space/.test(
          error.message,
        ),
    );
    assert.equal(readFileSync(path, 'utf8'), '{"old":true}\n');
    assert.deepEqual(readdirSync(dir).sort(), ['affinity.json', 'filler']);
  } finally {
    disk.unmount();
  }
});

test('an append that meets a full disk is cut back: the file holds only whole appends', { skip: noDisks() }, () => {
  const dir = join(tempDir(), 'disk');
  const disk = mountSmallDisk(dir, 64 * 1024);
  try {
    const path = join(dir, 'journal.jsonl');
    appendDurable(path, '{"kind":"header"}\n');
    fillDisk(dir, 100);
    // the page already holding the file has room for some bytes, then the disk is full mid-append
    assert.throws(
      () => appendDurable(path, `${big}\n`),
      /journal\.jsonl: cannot write \(no space left on the device, ENOSPC\)/,
    );
    assert.equal(readFileSync(path, 'utf8'), '{"kind":"header"}\n');
    rmSync(join(dir, 'filler'));
    appendDurable(path, '{"kind":"network"}\n');
    assert.equal(readFileSync(path, 'utf8'), '{"kind":"header"}\n{"kind":"network"}\n');
  } finally {
    disk.unmount();
  }
});

test('a read-only mount is an InputError naming the file', { skip: noDisks() }, () => {
  const dir = join(tempDir(), 'disk');
  const disk = mountSmallDisk(dir, 64 * 1024, 'ro');
  try {
    assert.throws(
      () => writeFileAtomic(join(dir, 'index.html'), 'x'),
      /disk\/index\.html: cannot write \(read-only file system, EROFS\); choose an output folder on a writable file system/,
    );
    assert.throws(
      () => appendDurable(join(dir, 'journal.jsonl'), 'x'),
      /journal\.jsonl: cannot write \(read-only file system, EROFS\)/,
    );
  } finally {
    disk.unmount();
  }
});

test('a folder the user may not write is an InputError naming the file', { skip: noDisks() }, () => {
  const dir = tempDir(); // root's, mode 0700
  const back = asNobody();
  try {
    assert.throws(
      () => writeFileAtomic(join(dir, 'a.csv'), 'x'),
      /a\.csv: cannot write \(permission denied, EACCES\); make it writable/,
    );
  } finally {
    back();
  }
});

test('a quota refusal (injected: no tmpfs quota here) is an InputError naming the file', () => {
  const dir = tempDir();
  const undo = failing(dir, 'EDQUOT');
  try {
    assert.throws(
      () => writeFileAtomic(join(dir, 'a.json'), 'x'),
      /a\.json: cannot write \(disk quota exceeded, EDQUOT\); free some space/,
    );
    assert.throws(
      () => appendDurable(join(dir, 'journal.jsonl'), 'x'),
      /journal\.jsonl: cannot write \(disk quota exceeded, EDQUOT\)/,
    );
  } finally {
    undo();
  }
  assert.deepEqual(readdirSync(dir), []);
});

test('a symbolic link at the destination is replaced, never written through', () => {
  const dir = tempDir();
  const victim = join(tempDir(), 'victim.txt');
  writeFileSync(victim, 'mine');
  symlinkSync(victim, join(dir, 'affinity.json'));
  writeFileAtomic(join(dir, 'affinity.json'), 'tra');
  assert.equal(readFileSync(victim, 'utf8'), 'mine');
  assert.equal(readFileSync(join(dir, 'affinity.json'), 'utf8'), 'tra');
  symlinkSync(victim, join(dir, 'journal.jsonl'));
  assert.throws(
    () => appendDurable(join(dir, 'journal.jsonl'), 'x'),
    /journal\.jsonl is a symbolic link; tra appends only to a file of its own/,
  );
  assert.equal(readFileSync(victim, 'utf8'), 'mine');
  assert.ok(!existsSync(join(dir, '.affinity.json.tmp')));
});
