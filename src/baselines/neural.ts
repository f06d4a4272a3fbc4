import { join } from 'node:path';
import { InputError } from '../data/errors.js';
import type { Dataset } from '../data/dataset.js';
import { PROTOCOL_FRACTIONS, type SplitScheme } from '../data/split.js';
import { readJournal } from '../sweep/journal.js';
import type { SweepConfig } from '../sweep/config.js';
import { networkId } from '../sweep/plan.js';

/**
 * The neural columns of the comparison, from a finished holdout sweep of the same data: its replication `s<seed>`
 * tested on exactly the rows the linear models are tested on. Single: L_t({t}); best pair: min over j of L_t({t,j}), an oracle (the partner is picked on the test losses), so optimistic.
 */
export function neuralColumns(sweepDir: string, ds: Dataset, seed: number): { name: string; perTask: number[] }[] {
  const path = join(sweepDir, 'journal.jsonl');
  const { header, records } = readJournal(path);
  if (!('data' in header.config))
    throw new InputError(
      `--sweep ${sweepDir}: its networks were trained elsewhere (a command or imported losses), on rows tra cannot match with the linear models' test rows`,
    );
  const config = header.config as SweepConfig;
  const split = config.split as SplitScheme;
  const sameSplit =
    split.kind === 'holdout' &&
    split.validation === PROTOCOL_FRACTIONS.validation &&
    split.test === PROTOCOL_FRACTIONS.test;
  if (config.data.sha256 !== ds.sha256 || config.data.taskNames.join('\u0000') !== ds.taskNames.join('\u0000'))
    throw new InputError(`--sweep ${sweepDir}: that sweep was run on other data or other task columns`);
  if (!sameSplit)
    throw new InputError(
      `--sweep ${sweepDir}: the neural columns need a holdout sweep with the default 0.2/0.2 split (e.g. --split holdout), so that both test on the same rows`,
    );
  const loss = (group: number[], task: number): number => {
    const record = records.get(networkId(`s${seed}`, group));
    if (!record)
      throw new InputError(
        `--sweep ${sweepDir}: no result for network s${seed}/${group.join('+')}; sweep seed ${seed} first`,
      );
    return record.testLoss[group.indexOf(task)];
  };
  const tasks = ds.taskNames.map((_, t) => t);
  const single = { name: 'neural single', perTask: tasks.map((t) => loss([t], t)) };
  if (tasks.length < 2) return [single];
  const bestPair = tasks.map((t) =>
    Math.min(...tasks.filter((j) => j !== t).map((j) => loss(t < j ? [t, j] : [j, t], t))),
  );
  return [single, { name: 'neural best pair (oracle)', perTask: bestPair }];
}
