// Replaces tsc's output of each module of src/vendor (third-party packages re-exported: @stdlib's t distribution, 417
// CommonJS files; zod, 95 modules; ml-hclust with ml-matrix, 10 files; Papa Parse; commander, 8 files) with one esbuild
// bundle of the same code, so that start-up reads one file instead of hundreds, and node does not scan CommonJS imported
// from an ES module for its exports (ml-matrix's scan alone was about 25 ms). Run by `npm run build` after tsc; tsc's
// output alone works the same.
import { readdirSync } from 'node:fs';

import { buildSync } from 'esbuild';

for (const file of readdirSync('src/vendor').filter((name) => name.endsWith('.ts')))
  buildSync({
    entryPoints: [`src/vendor/${file}`],
    outfile: `dist/src/vendor/${file.replace(/\.ts$/, '.js')}`,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    // bundled CommonJS (stdlib's `debug` dependency) requires node's own modules
    banner: {
      js: "import { createRequire as traRequire } from 'node:module'; const require = traRequire(import.meta.url);",
    },
  });
