import { dirname } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { InputError } from '../data/errors.js';
import type { ModelRef } from '../engine/userModel/load.js';
import { loadSpecDataset, type AnalysisSpec } from './spec.js';

/**
 * A definition's data set and, when it names one, its model module (imported and its exports checked): the data are
 * the CSV, or what the module's loadData returns (then the definition gives no `data`).
 */
export async function analysisData(
  spec: AnalysisSpec,
  loaded?: Dataset,
): Promise<{ dataset: Dataset; model?: ModelRef }> {
  if (spec.model === undefined) return { dataset: loaded ?? loadSpecDataset(spec) };
  // imported only for a model: they load tfjs, which a CSV on the native trainer does not need
  const { importUserModel, modelRef } = await import('../engine/userModel/load.js');
  const { loadUserData } = await import('../data/userData.js');
  const model = modelRef(spec.model);
  const module = await importUserModel(model);
  const fromModule = spec.data === spec.model;
  if (module.loadData && !fromModule)
    throw new InputError(
      `${spec.name}: both "data" (${spec.data}) and the loadData export of ${spec.model} supply the data; remove one`,
    );
  if (!module.loadData && fromModule)
    throw new InputError(`${spec.name}: no data: give "data" (a CSV path) or export loadData from ${spec.model}`);
  if (loaded) return { dataset: loaded, model };
  const dataset = module.loadData
    ? await loadUserData(module.loadData, {
        origin: spec.model,
        dir: dirname(spec.model),
        tasks: spec.tasks,
        taskKind: spec.taskKind,
      })
    : loadSpecDataset(spec);
  return { dataset, model };
}
