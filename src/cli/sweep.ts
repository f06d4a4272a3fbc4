import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { completeSpec } from '../analysis/spec.js';
import { InputError } from '../data/errors.js';
import { overridesOf } from './definition.js';
import { withOverrides } from '../analysis/spec.js';
import { guarded } from './errors.js';
import { addOptions } from './options.js';
import { runAnalysisOrShard } from './print.js';
import { runOptionsOf } from './run.js';

export function registerSweep(program: Command): void {
  addOptions(
    program
      .command('sweep')
      .description(
        'train every task alone and every pair over several seeds; write the affinity matrix with intervals and reliability (an analysis definition built from flags: tra run takes the same fields from a file)',
      ),
    'sweep',
  ).action(
    guarded(async (flags: Record<string, unknown>) => {
      const command =
        flags.command === undefined ? undefined : ((flags.code as string[] | undefined)?.[0] ?? 'command');
      const source = (flags.data ?? flags.model ?? command) as string | undefined;
      if (source === undefined)
        throw new InputError(
          'give the data with --data (a CSV), a --model whose loadData supplies it, or your training --command',
        );
      const name = (flags.name as string | undefined) ?? `${basename(source, extname(source))}-pairwise`;
      if (flags.name === undefined && !/^[\w.-]+$/.test(name))
        throw new InputError(
          `the default analysis name '${name}' (from the data file's name) may hold only letters, digits, '.', '_' and '-': give one with --name, e.g. --name ${name.replace(/[^\w.-]+/g, '-')}`,
        );
      const spec = completeSpec(withOverrides({ name }, overridesOf(flags)), 'tra sweep');
      await runAnalysisOrShard(spec, runOptionsOf(flags));
    }),
  );
}
