import type { NetworkRecord } from '../../sweep/record.js';
import { singleTaskFeatures, trainedCells } from './features.js';
import { type CellFeature, fitGainPredictor, type PredictorReport } from './fit.js';

/** A directed cell no network measured: its predicted relative gain and conformal interval, marked as predicted. */
export interface PredictedCell {
  task: number;
  partner: number;
  gain: number;
  low: number;
  high: number;
  source: 'predicted';
}

export interface GainPrediction {
  report: PredictorReport;
  /** Every directed cell of a pair the records did not train. */
  cells: PredictedCell[];
}

/**
 * The gains of the pairs some records did not train, predicted from those they did (validation losses, each seed's
 * folds averaged) and the cheap features given (proxies' matrices), with the single-task networks' stopping epochs
 * added. Throws a RangeError naming the count when fewer than 3 pairs were trained.
 */
export function predictUntrainedPairs(
  records: readonly NetworkRecord[],
  taskCount: number,
  proxies: readonly CellFeature[],
): GainPrediction {
  const trained = trainedCells(records, taskCount);
  const predictor = fitGainPredictor(taskCount, trained, [...proxies, ...singleTaskFeatures(records, taskCount)]);
  const measured = new Set(trained.map((c) => `${c.i},${c.j}`));
  const cells: PredictedCell[] = [];
  for (let task = 0; task < taskCount; task++)
    for (let partner = 0; partner < taskCount; partner++) {
      const predicted = task !== partner && !measured.has(`${task},${partner}`) && predictor.predict(task, partner);
      if (predicted) cells.push({ task, partner, ...predicted });
    }
  return { report: predictor.report, cells };
}
