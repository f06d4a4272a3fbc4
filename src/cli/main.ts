#!/usr/bin/env node
import { Command } from 'commander';
import { toolVersion } from '../report/provenance.js';
import { registerAffinity } from './affinity.js';
import { registerGroup } from './group.js';
import { registerMerge } from './merge.js';
import { registerProxies } from './proxies.js';
import { registerWorker } from './worker.js';
import { registerBaselines } from './baselines.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerSweep } from './sweep.js';
import { registerTaxonomy } from './taxonomy.js';

const program = new Command('tra')
  .description('task-relationship analysis: how learning tasks help or hurt each other')
  .version(toolVersion())
  .showHelpAfterError('(add --help for usage)');
// Every finished network is already in the journal; a batch in training is abandoned and redone on the next run.
process.once('SIGINT', () => {
  process.stderr.write('\ntra: interrupted; finished networks are in the journal, rerun the same command to resume\n');
  process.exit(130);
});
registerSweep(program);
registerAffinity(program);
registerRun(program);
registerGroup(program);
registerMerge(program);
registerProxies(program);
registerWorker(program);
registerBaselines(program);
registerReport(program);
registerTaxonomy(program);
await program.parseAsync();
