import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus as cpus_, platform, release, totalmem } from 'node:os';
import { COMMON_START } from '../engine/start.js';
import {
  configHash,
  isCommandConfig,
  isImportedConfig,
  type CommandConfig,
  type SweepConfig,
} from '../sweep/config.js';
import type { Records } from '../sweep/journal.js';
import type { ImportedConfig, ImportedSource } from '../sweep/imported.js';

/** How an artefact was made: enough to reproduce it or to tell two runs apart. */
export interface Provenance {
  tool: string;
  toolVersion: string;
  node: string;
  tfjs: string;
  backends: string[];
  command: string;
  /** The data tra trained on or imported from; absent when the user's command trained on its own data. */
  data?: { source: string; sha256: string; rows: number };
  configHash: string;
  createdAt: string;
  sweepSeconds: number;
  /** Present when the losses were measured elsewhere and imported (`tra import`): from where, in what metric. */
  imported?: ImportedSource;
  /** Present when the networks were the user's model (a definition's `"model"`), not the built-in MLP. */
  model?: { source: string; sha256: string };
  /** The machine that wrote the artefact (its timings are this machine's). */
  machine?: Machine;
  /** Present when the networks were trained by the user's command (a definition's `"command"`). */
  trainingCommand?: { argv: string[]; code: { source: string; sha256: string }[] };
  /** How tra started the networks (`COMMON_START`); absent when the user's command or another program trained them. */
  initialisation?: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGB: number;
  os: string;
}

/** This machine: CPU model, logical cores, memory, operating system. */
export function machineOf(): Machine {
  const cpus = cpus_();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
  };
}

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The installed tfjs's version, read from its package file: importing tfjs to ask would cost a native run its start-up. */
export function tfjsVersion(): string {
  const file = createRequire(import.meta.url).resolve('@tensorflow/tfjs/package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The command line as a user would retype it. */
export function commandLine(argv: string[] = process.argv): string {
  const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['tra', ...argv.slice(2)].map(quote).join(' ');
}

/** The provenance of results trained under `config` on `backends`, taking `trainingSeconds` of training. */
export function provenanceOf(
  config: SweepConfig | CommandConfig,
  backends: string[],
  trainingSeconds: number,
): Provenance {
  return {
    tool: 'task-relations',
    toolVersion: toolVersion(),
    node: process.version,
    tfjs: tfjsVersion(),
    backends,
    command: commandLine(),
    ...(isCommandConfig(config)
      ? { trainingCommand: config.command }
      : { data: { source: config.data.source, sha256: config.data.sha256, rows: config.data.rows } }),
    configHash: configHash(config),
    createdAt: new Date().toISOString(),
    sweepSeconds: trainingSeconds,
    ...(!isCommandConfig(config) && config.model ? { model: config.model } : {}),
    ...(isCommandConfig(config) ? {} : { initialisation: COMMON_START }),
    machine: machineOf(),
  };
}

/** Imported losses: no training here; the data are the imported files. */
function importedProvenance(config: ImportedConfig, configHash: string): Provenance {
  const { imported } = config;
  return {
    tool: 'task-relations',
    toolVersion: toolVersion(),
    node: process.version,
    tfjs: tfjsVersion(),
    backends: ['imported'],
    command: commandLine(),
    data: { source: imported.files.join(', '), sha256: imported.sha256, rows: imported.rows },
    configHash,
    createdAt: new Date().toISOString(),
    sweepSeconds: 0,
    imported,
    machine: machineOf(),
  };
}

/**
 * A journal's provenance: a sweep's (training time of every network, however many runs it took: each record holds its
 * share of its batch) or an import's (`configHash` is the imported journal header's).
 */
export function journalProvenance(
  config: SweepConfig | CommandConfig | ImportedConfig,
  records: Records,
  configHash = '',
): Provenance {
  if (isImportedConfig(config)) return importedProvenance(config, configHash);
  // one record at a time: a 1000-task seed's 500,500 records are rebuilt from the journal's columns as they are read
  const backends = new Set<string>();
  let seconds = 0;
  for (const r of records.values()) {
    backends.add(r.backend);
    seconds += r.seconds;
  }
  return provenanceOf(config, [...backends], seconds);
}
