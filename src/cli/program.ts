import { Command } from '../vendor/commander.js';
import { lockScope, nameCommand } from '../io/lock.js';
import { toolVersion } from '../report/provenance.js';
import { reportError } from './errors.js';

type Register = (program: Command) => void;

/**
 * The commands, in the order help lists them, each loaded only when it is needed: a command line names one, and
 * loading only its module spares start-up the others' (grouping, baselines, taxonomy, import, ml-matrix: about 60
 * modules and 50 ms of CPU for a sweep).
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  sweep: async () => (await import('./sweep.js')).registerSweep,
  affinity: async () => (await import('./affinity.js')).registerAffinity,
  run: async () => (await import('./run.js')).registerRun,
  plan: async () => (await import('./plan.js')).registerPlan,
  group: async () => (await import('./group.js')).registerGroup,
  auxiliary: async () => (await import('./auxiliary.js')).registerAuxiliary,
  import: async () => (await import('./import.js')).registerImport,
  merge: async () => (await import('./merge.js')).registerMerge,
  proxies: async () => (await import('./proxies.js')).registerProxies,
  worker: async () => (await import('./worker.js')).registerWorker,
  baselines: async () => (await import('./baselines.js')).registerBaselines,
  report: async () => (await import('./report.js')).registerReport,
  paper: async () => (await import('./paper.js')).registerPaper,
  taxonomy: async () => (await import('./taxonomy.js')).registerTaxonomy,
  schema: async () => (await import('./schema.js')).registerSchema,
};

/**
 * The `tra` program with every command registered (the options conformance test and the reference use it), or only
 * `only` when that names a command.
 */
export async function program(only?: string): Promise<Command> {
  const tra = new Command('tra')
    .description('task-relationship analysis: how learning tasks help or hurt each other')
    .version(toolVersion())
    .showHelpAfterError('(add --help for usage)')
    // Usage errors become exit code 2 (commander's own is 1, which tra reserves for "training failed, rerun").
    .exitOverride();
  const names = only !== undefined && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]())(tra);
  return tra;
}

/** Parses and runs one command line (`args` without node and the script); resolves to the exit code. */
export async function runCli(args: string[]): Promise<number> {
  nameCommand(`tra ${args[0] ?? ''}`.trim());
  // one lock scope: the output folders the command locks are released when it ends
  return lockScope(async () => {
    try {
      await (await program(args[0])).parseAsync(args, { from: 'user' });
      return 0;
    } catch (error) {
      return reportError(error);
    }
  });
}
