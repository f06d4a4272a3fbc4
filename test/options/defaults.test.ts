/**
 * The intervals' level and the verdicts' rate are written once (src/options/inferenceDefaults.ts, which --level and
 * --fdr declare with): a reader that meets an artefact recording none falls back to those constants, never to a
 * literal of its own that could drift from the flag's default.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INFERENCE_OPTIONS } from '../../src/options/inference.js';
import { DEFAULT_FDR, DEFAULT_LEVEL } from '../../src/options/inferenceDefaults.js';

const SRC = fileURLToPath(new URL('../../../src', import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
/** A level or rate given as a literal: a fallback, a parameter default or a field's value. */
const LITERAL_DEFAULT = /(\?\?\s*0\.(95|05)\b|\b(level|fdr)\s*[=:]\s*0\.(95|05)\b)/;

test('--level and --fdr default to the shared constants', () => {
  assert.equal(INFERENCE_OPTIONS.level.default, DEFAULT_LEVEL);
  assert.equal(INFERENCE_OPTIONS.fdr.default, DEFAULT_FDR);
});

test('no source file writes the level or the rate as a literal default of its own', () => {
  const found = sources(SRC).flatMap((path) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .flatMap((line, k) => (LITERAL_DEFAULT.test(line) ? [`${relative(SRC, path)}:${k + 1}: ${line.trim()}`] : [])),
  );
  assert.ok(sources(SRC).length > 100, 'the sources were found');
  assert.deepEqual(found, []);
});
