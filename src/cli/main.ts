#!/usr/bin/env node
import { Command } from 'commander';
import { toolVersion } from '../report/provenance.js';
import { registerAffinity } from './affinity.js';
import { registerMerge } from './merge.js';
import { registerRun } from './run.js';
import { registerSweep } from './sweep.js';

const program = new Command('tra')
  .description('task-relationship analysis: how learning tasks help or hurt each other')
  .version(toolVersion())
  .showHelpAfterError('(add --help for usage)');
registerSweep(program);
registerAffinity(program);
registerRun(program);
registerMerge(program);
await program.parseAsync();
