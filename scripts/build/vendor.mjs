// Replaces tsc's output of src/affinity/tDistribution.ts (a re-export of two @stdlib packages, 417 CommonJS files) with
// one bundle of the same code, so that start-up reads one file instead of hundreds. Run by `npm run build` after tsc.
import { buildSync } from 'esbuild';

buildSync({
  entryPoints: ['src/affinity/tDistribution.ts'],
  outfile: 'dist/src/affinity/tDistribution.js',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  // the bundled CommonJS (stdlib's `debug` dependency) requires node's own modules
  banner: {
    js: "import { createRequire as traRequire } from 'node:module'; const require = traRequire(import.meta.url);",
  },
});
