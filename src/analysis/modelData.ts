import { dirname } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { InputError } from '../data/errors.js';
import type { ModelRef } from '../engine/userModel/load.js';
import { probeUserModel } from '../engine/userModel/watchdog.js';
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
  // imported only for a model: it loads tfjs, which a CSV on the native trainer does not need
  const { modelRef } = await import('../engine/userModel/load.js');
  const model = modelRef(spec.model);
  const fromModule = spec.data === spec.model;
  // imported, and its data loaded, in a thread under the watchdog (engine/userModel/watchdog.ts)
  const probe = await probeUserModel(
    {
      kind: 'load',
      ref: model,
      ...(fromModule &&
        !loaded && { loader: { dir: dirname(spec.model), tasks: spec.tasks, taskKind: spec.taskKind } }),
    },
    { seconds: spec.watchdog },
  );
  if (probe.hasLoadData && !fromModule)
    throw new InputError(
      `${spec.name}: both "data" (${spec.data}) and the loadData export of ${spec.model} supply the data; remove one`,
    );
  if (!probe.hasLoadData && fromModule)
    throw new InputError(`${spec.name}: no data: give "data" (a CSV path) or export loadData from ${spec.model}`);
  if (loaded) return { dataset: loaded, model };
  return { dataset: probe.dataset ?? loadSpecDataset(spec), model };
}
