import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { writeJson } from '../artefacts/files.js';
import { readJson } from '../artefacts/files.js';
import { InputError } from '../data/errors.js';
import { completeSpec, type AnalysisSpec, type DefinitionOverrides, withOverrides } from './spec.js';

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
  const { workers: _workers, out: _out, data, model, engine, ...rest } = spec;
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

/** The definition a sweep wrote into its folder, with its paths resolved and the folder as its output. */
export function readFolderDefinition(outDir: string, overrides: DefinitionOverrides = {}): AnalysisSpec {
  const path = definitionPathOf(outDir);
  if (!existsSync(path))
    throw new InputError(
      `${outDir} holds no ${DEFINITION_FILE} (written by tra sweep and tra run since this version) and no imported losses; give the analysis definition instead`,
    );
  const raw = readJson(path);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InputError(`${path}: expected a JSON object`);
  const { out, ...fields } = overrides.fields ?? {};
  const spec = completeSpec(withOverrides(raw as Record<string, unknown>, { ...overrides, fields }), path);
  const fromFolder = (p: string): string => resolve(outDir, p);
  return {
    ...spec,
    out: typeof out === 'string' ? out : outDir,
    data: fromFolder(spec.data),
    ...(spec.model === undefined ? {} : { model: fromFolder(spec.model) }),
  };
}
