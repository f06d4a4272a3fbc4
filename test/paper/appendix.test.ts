import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendixRows } from '../../src/paper/appendix.js';
import type { PaperFolder } from '../../src/paper/folder.js';

const provenance = (command: string, createdAt: string) => ({
  command,
  configHash: 'c0ffee',
  backends: ['native'],
  data: { source: 'data.csv', sha256: 'ab', rows: 10 },
  createdAt,
});

test('the appendix gives artefacts one command wrote one entry with its write times as a range; another command its own', () => {
  const folder = {
    affinity: { provenance: provenance('tra group a.json', '2026-01-01T00:00:02Z') },
    grouping: { provenance: { ...provenance('tra group a.json', '2026-01-01T00:00:05Z'), sweepJournal: 'j.jsonl' } },
    auxiliaries: [
      {
        file: 'auxiliary-x/auxiliary.json',
        artefact: { provenance: provenance('tra auxiliary a.json --main x', '2026-01-01T00:01:00Z') },
      },
    ],
  } as unknown as PaperFolder;
  const rows = appendixRows(folder);
  assert.deepEqual(
    rows.map((r) => [r.artefact, r.provenance?.createdAt]),
    [
      ['affinity.json, grouping.json', '2026-01-01T00:00:02Z to 2026-01-01T00:00:05Z'],
      ['auxiliary-x/auxiliary.json', '2026-01-01T00:01:00Z'],
    ],
  );
});
