#!/usr/bin/env node
import { reportError } from './errors.js';
import { runCli } from './program.js';

// Ctrl-C and SIGTERM keep node's default (the process ends at once) except while a sweep trains: sweep/interrupt.ts.
// Registered before any backend loads: an error escaping a command (an event handler's, say) is reported as what it
// is, with its own stack, instead of being rethrown from inside the wasm backend's handler, which looks like a tfjs crash.
const escaped = (error: unknown): never => process.exit(reportError(error));
process.on('uncaughtException', escaped);
process.on('unhandledRejection', escaped);
const code = await runCli(process.argv.slice(2));
if (code !== 0) process.exit(code);
