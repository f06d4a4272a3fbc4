/**
 * commander, re-exported from one module so that `npm run build` can bundle it into this one file
 * (scripts/build/vendor.mjs): imported from an ES module, its CommonJS entry went through node's export scan and then
 * required six more files, about 10 ms of CPU at every command's start-up on the Intel Xeon of session 8 against 5 ms
 * bundled. Every value import of commander goes through here (a second copy would throw CommanderErrors that
 * cli/errors.ts does not recognise); types may come from 'commander' itself.
 */
export { Command, CommanderError, Option } from 'commander';
