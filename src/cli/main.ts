#!/usr/bin/env node
import { reportError } from './errors.js';
import { runCli } from './program.js';

// Every finished network is already in the journal; a batch in training is abandoned and redone on the next run.
// Exiting ends the training commands still running (engine/command/process.ts), however tra was stopped.
const interrupted = (code: number) => () => {
  process.stderr.write('\ntra: interrupted; finished networks are in the journal, rerun the same command to resume\n');
  process.exit(code);
};
process.once('SIGINT', interrupted(130));
process.once('SIGTERM', interrupted(143));
// Registered before any backend loads: an error escaping a command (an event handler's, say) is reported as what it
// is, with its own stack, instead of being rethrown from inside the wasm backend's handler, which looks like a tfjs crash.
const escaped = (error: unknown): never => process.exit(reportError(error));
process.on('uncaughtException', escaped);
process.on('unhandledRejection', escaped);
const code = await runCli(process.argv.slice(2));
if (code !== 0) process.exit(code);
