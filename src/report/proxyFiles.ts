import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvFormat } from 'd3';
import type { Matrix } from '../affinity/gain.js';
import { writeJson } from './json.js';

/** One proxy's estimate as the files record it (plain data; the runner's result fits this shape). */
export interface ProxyFileEntry {
  proxy: string;
  id: string;
  reference: string;
  matrix: Matrix;
  seconds: number;
  networksTrained: number;
  deviation?: string;
  details?: Record<string, unknown>;
  implied?: { groups: number[][]; silhouette: number; predictedLoss?: number[][] };
  agreement?: { spearman: number; kendall: number };
  grouping?: { meanAri: number; meanRegret: number };
}

export interface ProxyFiles {
  json: string;
  csv: string;
  /** The report section in Markdown: a table of the proxies and the grouping each implies. */
  section: string;
}

const fixed = (x: number | undefined, digits = 2): string => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits));

/**
 * Writes proxies.json (every estimate, its cost, implied grouping and, with a sweep, its agreement), proxies.csv (one
 * row per ordered pair, a column per proxy) and proxies.md (the report section, readable without any sweep).
 */
export function writeProxyFiles(dir: string, taskNames: string[], content: { backend: string; proxies: ProxyFileEntry[]; truth?: unknown }): ProxyFiles {
  mkdirSync(dir, { recursive: true });
  const files = { json: join(dir, 'proxies.json'), csv: join(dir, 'proxies.csv'), section: join(dir, 'proxies.md') };
  writeJson(files.json, { taskNames, ...content });
  const rows = taskNames.flatMap((target, i) =>
    taskNames.flatMap((source, j) => (i === j ? [] : [{ target, source, ...Object.fromEntries(content.proxies.map((p) => [p.id, p.matrix[i][j]])) }])),
  );
  writeFileSync(files.csv, csvFormat(rows) + '\n');
  const names = (group: number[]): string => group.map((t) => taskNames[t]).join(' + ');
  const lines = [
    `## Cheap estimates of the task affinities (${taskNames.length} tasks, backend ${content.backend})`,
    '',
    '| proxy | method | seconds | networks trained | implied groups | silhouette | Spearman vs sweep | Kendall vs sweep |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...content.proxies.map(
      (p) =>
        `| ${p.proxy} | ${p.reference} | ${p.seconds.toFixed(1)} | ${p.networksTrained} | ${p.implied?.groups.length ?? 'n/a'} | ${fixed(p.implied?.silhouette)} | ${fixed(p.agreement?.spearman)} | ${fixed(p.agreement?.kendall)} |`,
    ),
    '',
    'Each implied grouping is the average-linkage clustering of the symmetrised estimate, cut at the number of groups with the highest mean silhouette: it uses the estimate alone (training and validation rows), never a test loss.',
    '',
  ];
  for (const p of content.proxies) {
    if (!p.implied) continue;
    lines.push(`### ${p.proxy}`, '');
    if (p.deviation) lines.push(`Deviation from the paper: ${p.deviation}.`, '');
    p.implied.groups.forEach((g, k) => {
      const predicted = p.implied?.predictedLoss?.[k];
      lines.push(`- ${names(g)}${predicted ? ` (predicted validation loss ${predicted.map((l) => l.toFixed(3)).join(', ')})` : ''}`);
    });
    lines.push('');
  }
  writeFileSync(files.section, lines.join('\n'));
  return files;
}
