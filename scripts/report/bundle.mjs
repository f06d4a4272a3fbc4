// The report's page script: src/report/draw/entry.ts and what it imports (d3 included, tree-shaken) bundled by esbuild
// into one minified script that html/render.ts inlines into the page (dist/src/report/draw/page.bundle.js). Run by
// `npm run build` after tsc, which has type-checked the same sources.
import { buildSync } from 'esbuild';

const common = {
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'warning',
};
buildSync({ ...common, entryPoints: ['src/report/draw/entry.ts'], outfile: 'dist/src/report/draw/page.bundle.js' });
// The label-collision checker (draw/overlaps.ts) as the global `traOverlaps`, for src/report/labels.ts.
buildSync({
  ...common,
  entryPoints: ['src/report/draw/overlaps.ts'],
  outfile: 'dist/src/report/draw/overlaps.bundle.js',
  globalName: 'traOverlaps',
});
