/**
 * An analysis folder as the commands write it, from the report fixtures (test/report/fixtures.ts): affinity.json,
 * grouping.json, auxiliary.json (and tra auxiliary's auxiliary-<main>/auxiliary.json) and taxonomy.json as they are; proxies.json and baselines.json in their artefact
 * shapes (task indices, per-task columns). One proxy and the taxonomy record a deviation, as tra proxies and tra
 * taxonomy on imports write them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderName } from '../../src/artefacts/auxiliary.js';
import { fullInput } from '../report/fixtures.js';

export const PROXY_DEVIATION = 'one seed; a planted deviation the methods must name';
export const TAXONOMY_DEVIATION = 'imported losses: a planted transfer definition the methods must name';

export function writeFixtureFolder(dir: string, T: number): string {
  const input = fullInput(T);
  const names = input.affinity.taskNames;
  const index = new Map(names.map((n, k) => [n, k]));
  mkdirSync(dir, { recursive: true });
  const write = (file: string, value: unknown): void => writeFileSync(join(dir, file), JSON.stringify(value));
  write('affinity.json', input.affinity);
  write('grouping.json', input.grouping);
  write('auxiliary.json', { ...input.auxiliary, provenance: input.affinity.provenance });
  // tra auxiliary's rankings, one folder per main task (one of them named by the hostile task name)
  for (const ranking of input.auxiliaryCandidates ?? []) {
    mkdirSync(join(dir, `auxiliary-${folderName(ranking.main)}`));
    const command = `tra auxiliary def.json --main ${ranking.main}`;
    write(`auxiliary-${folderName(ranking.main)}/auxiliary.json`, {
      ...ranking,
      provenance: { ...input.affinity.provenance, command },
    });
  }
  write('taxonomy.json', { ...input.taxonomy, transferDefinition: TAXONOMY_DEVIATION });
  write('proxies.json', {
    taskNames: names,
    proxies: input.proxies.proxies.map((p, k) => ({
      proxy: p.proxy,
      id: ['lookahead', 'cosine', 'correlation'][k] ?? p.proxy,
      ...(k === 0 ? { deviation: PROXY_DEVIATION } : {}),
      agreement: {
        spearman: p.spearman,
        points: p.points.map((q) => ({ ...q, target: index.get(q.target), source: index.get(q.source) })),
      },
    })),
  });
  const b = input.baselines!;
  write('baselines.json', {
    taskNames: names,
    split: 'holdout',
    seed: 0,
    folds: 5,
    columns: b.columns.map((name, c) => ({
      name,
      perTask: b.rows.map((r) => r.values[c]),
      total: b.total?.[c],
    })),
  });
  return dir;
}
