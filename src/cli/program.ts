import { Command } from 'commander';
import { lockScope, nameCommand } from '../io/lock.js';
import { toolVersion } from '../report/provenance.js';
import { registerAffinity } from './affinity.js';
import { registerAuxiliary } from './auxiliary.js';
import { registerBaselines } from './baselines.js';
import { reportError } from './errors.js';
import { registerGroup } from './group.js';
import { registerImport } from './import.js';
import { registerMerge } from './merge.js';
import { registerPaper } from './paper.js';
import { registerPlan } from './plan.js';
import { registerProxies } from './proxies.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerSchema } from './schema.js';
import { registerSweep } from './sweep.js';
import { registerTaxonomy } from './taxonomy.js';
import { registerWorker } from './worker.js';

/** The `tra` program with every command registered (exported for the options conformance test and the reference). */
export function program(): Command {
  const tra = new Command('tra')
    .description('task-relationship analysis: how learning tasks help or hurt each other')
    .version(toolVersion())
    .showHelpAfterError('(add --help for usage)')
    // Usage errors become exit code 2 (commander's own is 1, which tra reserves for "training failed, rerun").
    .exitOverride();
  for (const register of [
    registerSweep,
    registerAffinity,
    registerRun,
    registerPlan,
    registerGroup,
    registerAuxiliary,
    registerImport,
    registerMerge,
    registerProxies,
    registerWorker,
    registerBaselines,
    registerReport,
    registerPaper,
    registerTaxonomy,
    registerSchema,
  ])
    register(tra);
  return tra;
}

/** Parses and runs one command line (`args` without node and the script); resolves to the exit code. */
export async function runCli(args: string[]): Promise<number> {
  nameCommand(`tra ${args[0] ?? ''}`.trim());
  // one lock scope: the output folders the command locks are released when it ends
  return lockScope(async () => {
    try {
      await program().parseAsync(args, { from: 'user' });
      return 0;
    } catch (error) {
      return reportError(error);
    }
  });
}
