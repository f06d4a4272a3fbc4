import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { configHash, type SweepConfig } from '../sweep/config.js';
import type { NetworkRecord } from '../sweep/journal.js';

/** How an artefact was made: enough to reproduce it or to tell two runs apart. */
export interface Provenance {
  tool: string;
  toolVersion: string;
  node: string;
  tfjs: string;
  backends: string[];
  command: string;
  data: { source: string; sha256: string; rows: number };
  configHash: string;
  createdAt: string;
  sweepSeconds: number;
}

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The command line as a user would retype it. */
export function commandLine(argv: string[] = process.argv): string {
  const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['tra', ...argv.slice(2)].map(quote).join(' ');
}

/** The provenance of results trained under `config` on `backends`, taking `trainingSeconds` of training. */
export function provenanceOf(config: SweepConfig, backends: string[], trainingSeconds: number): Provenance {
  return {
    tool: 'task-relations',
    toolVersion: toolVersion(),
    node: process.version,
    tfjs: tf.version.tfjs,
    backends,
    command: commandLine(),
    data: { source: config.data.source, sha256: config.data.sha256, rows: config.data.rows },
    configHash: configHash(config),
    createdAt: new Date().toISOString(),
    sweepSeconds: trainingSeconds,
  };
}

/** Training time of every network in the journal, however many runs it took (each record holds its share of its batch). */
export const journalProvenance = (config: SweepConfig, records: Map<string, NetworkRecord>): Provenance =>
  provenanceOf(
    config,
    [...new Set([...records.values()].map((r) => r.backend))],
    [...records.values()].reduce((total, r) => total + r.seconds, 0),
  );
