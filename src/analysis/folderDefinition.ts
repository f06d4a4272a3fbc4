import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { readJson, writeJson } from '../artefacts/files.js';
import { isNullControlName } from '../data/controls.js';
import { InputError } from '../data/errors.js';
import { isCommandConfig, isImportedConfig, type CommandConfig, type SweepConfig } from '../sweep/config.js';
import type { ImportedConfig } from '../sweep/imported.js';
import { journalPathOf, readJournal } from '../sweep/journal.js';
import { seedsOf } from '../sweep/recordStore.js';
import { commandFromFile, completeSpec, type AnalysisSpec, type DefinitionOverrides, withOverrides } from './spec.js';

/** The definition a sweep ran, written into its output folder: `tra group <folder>` reads it (no hand-written copy). */
export const DEFINITION_FILE = 'definition.json';

export const definitionPathOf = (outDir: string): string => join(outDir, DEFINITION_FILE);

/**
 * The definition as a file in `outDir`: paths relative to that folder (it moves with the data beside it), no `out` (the
 * folder is its own output) and no worker count (a property of the machine, not of the results). Read back, it gives
 * the same configuration, hence the same journal.
 */
export function folderDefinition(spec: AnalysisSpec, outDir: string): Record<string, unknown> {
  const fromFolder = (path: string): string => {
    const rel = relative(resolve(outDir), resolve(path));
    return isAbsolute(rel) ? resolve(path) : rel;
  };
  const { workers: _workers, out: _out, data, model, engine, command, ...rest } = spec;
  if (command) {
    // the launch options (parallel, devices, ...) belong to a machine, like the worker count
    const { argv, code, cwd, taskNames } = command;
    return Object.fromEntries(
      Object.entries({
        ...rest,
        tasks: taskNames,
        command: argv,
        code: code.map(fromFolder),
        cwd: fromFolder(cwd),
        engine: { epochs: engine.epochs },
      }).filter(([, value]) => value !== undefined),
    );
  }
  const definition: Record<string, unknown> = {
    ...rest,
    // completeSpec drops a patience of 0 (no early stopping); written out, the default would replace it
    engine: { ...engine, patience: engine.patience ?? 0 },
    ...(model === undefined || model !== data ? { data: fromFolder(data) } : {}),
    ...(model === undefined ? {} : { model: fromFolder(model) }),
  };
  return Object.fromEntries(Object.entries(definition).filter(([, value]) => value !== undefined));
}

export function writeFolderDefinition(spec: AnalysisSpec, outDir: string): string {
  const path = definitionPathOf(outDir);
  writeJson(path, folderDefinition(spec, outDir));
  return path;
}

export const hasFolderDefinition = (outDir: string): boolean => existsSync(definitionPathOf(outDir));

/**
 * The definition a sweep wrote into its folder, with its paths resolved and the folder as its output; for a folder
 * swept before sweeps wrote it, the definition its journal's configuration implies (see journalDefinition).
 */
export function readFolderDefinition(outDir: string, overrides: DefinitionOverrides = {}): AnalysisSpec {
  const path = definitionPathOf(outDir);
  const journalPath = journalPathOf(outDir);
  if (!existsSync(path) && !existsSync(journalPath))
    throw new InputError(
      `${outDir} holds no ${DEFINITION_FILE} (written by tra sweep and tra run), no journal and no imported losses; give the analysis definition instead`,
    );
  const [raw, origin] = existsSync(path)
    ? [readJson(path), path]
    : [journalDefinition(journalPath), `${journalPath} (its header, read as a definition)`];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InputError(`${path}: expected a JSON object`);
  const { out, ...fields } = overrides.fields ?? {};
  const spec = completeSpec(withOverrides(raw as Record<string, unknown>, { ...overrides, fields }), origin);
  const fromFolder = (p: string): string => resolve(outDir, p);
  return {
    ...spec,
    out: typeof out === 'string' ? out : outDir,
    data: spec.command ? spec.data : fromFolder(spec.data),
    ...(spec.model === undefined ? {} : { model: fromFolder(spec.model) }),
    ...(spec.command ? { command: commandFromFile(spec.command, raw as Record<string, unknown>, fromFolder) } : {}),
  };
}

/**
 * The definition a sweep's journal implies, for folders swept before sweeps wrote theirs: the data file and columns,
 * task kinds, null controls, engine, split, model and seeds the header records (paths as the sweep was given them,
 * from the folder tra runs in). Settings that change no result (the confidence level, the worker count) take their
 * defaults. Should the data file have moved or changed, the sweep refuses the journal as another configuration's.
 */
function journalDefinition(journalPath: string): Record<string, unknown> {
  const { header, records } = readJournal(journalPath);
  const config = header.config as SweepConfig | CommandConfig | ImportedConfig;
  if (isImportedConfig(config))
    throw new InputError(`${journalPath} holds imported losses: it has no definition (tra group takes the folder)`);
  const name = basename(resolve(dirname(journalPath))).replace(/[^\w.-]+/g, '-') || 'sweep';
  const seeds = header.plan?.seeds ?? seedsOf(records);
  if (isCommandConfig(config))
    return {
      name,
      command: config.command.argv,
      code: config.command.code.map((file) => resolve(file.source)),
      // where it ran is not part of the configuration: the folder of its first code file, else this one
      cwd: config.command.code.length ? dirname(resolve(config.command.code[0].source)) : resolve('.'),
      tasks: config.taskNames,
      seeds: seeds.join(','),
      engine: { epochs: config.epochs },
      split: config.split,
    };
  const { data, engine, split, model } = config;
  const real = data.taskNames.filter((t) => !isNullControlName(t));
  const kinds = new Set(data.taskKinds.slice(0, real.length));
  const fromModel = model !== undefined && data.source === model.source;
  return {
    name,
    ...(fromModel ? {} : { data: resolve(data.source), features: data.featureNames.join(',') }),
    ...(model ? { model: resolve(model.source) } : {}),
    tasks: real.join(','),
    taskKind: kinds.size === 1 ? [...kinds][0] : 'auto',
    seeds: seeds.join(','),
    engine: { ...engine, patience: engine.patience ?? 0 },
    split,
    nullTasks: data.taskNames.length - real.length,
  };
}
