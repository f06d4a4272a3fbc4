import type { AffinityEstimate } from './estimate.js';
import { reliabilityClamped } from './stats.js';

/** Below this split-half reliability most of the matrix is seed noise. */
export const LOW_RELIABILITY = 0.5;

/** At or above this share of networks best at their last epoch, the sweep is under-trained. */
export const LAST_EPOCH_SHARE = 0.5;

/** What a network's record says about its training: the epoch model selection chose (1-based). */
interface TrainedNetwork {
  bestEpoch: number;
}

/**
 * What should stop a person acting on a matrix or a grouping built on it, one sentence each with what to do: a low
 * reliability (seed noise), a clamped one (halves that disagree), and networks mostly best at their last epoch
 * (still learning when training stopped, so every gain is measured on under-trained networks).
 */
export function evidenceWarnings(
  estimate: Pick<AffinityEstimate, 'reliability'>,
  networks: Iterable<TrainedNetwork>,
  epochs: number | undefined,
): string[] {
  const warnings: string[] = [];
  const { reliability, halfCorrelation, replications } = estimate.reliability;
  if (!Number.isFinite(reliability))
    warnings.push(
      `reliability not measurable with ${replications} replication${replications === 1 ? '' : 's'}: nothing tells the matrix from seed noise; run more seeds`,
    );
  else if (reliabilityClamped(halfCorrelation))
    warnings.push(
      `reliability 0 (clamped): the two halves of the seeds disagree (split-half Spearman ${halfCorrelation.toFixed(2)}; Spearman-Brown is not defined below 0), so the matrix is seed noise; add seeds before acting on it`,
    );
  else if (reliability < LOW_RELIABILITY)
    warnings.push(
      `reliability ${reliability.toFixed(2)} is below ${LOW_RELIABILITY}: most of the matrix is seed noise; add seeds before acting on it`,
    );
  if (epochs !== undefined && epochs > 1) {
    // counted one network at a time: a journal's records are read, not gathered (500,500 a seed at 1000 tasks)
    let count = 0;
    let atLast = 0;
    for (const network of networks) {
      count++;
      if (network.bestEpoch === epochs) atLast++;
    }
    if (count > 0 && atLast / count >= LAST_EPOCH_SHARE)
      warnings.push(
        `${atLast} of ${count} networks were best at their last epoch (${epochs}): they were still improving when training stopped (under-trained); raise the epochs (engine.epochs, --epochs) and rerun`,
      );
  }
  return warnings;
}
