/**
 * Papa Parse, re-exported from one module so that `npm run build` can bundle it into this one file
 * (scripts/build/vendor.mjs): a CommonJS file imported from an ES module goes through node's export scan, about 9 ms of
 * CPU at start-up on the Intel Xeon of session 8 against 3 ms bundled. Every value import of papaparse goes through
 * here; unbundled (tsc's output alone) it works the same.
 */
export { default as Papa } from 'papaparse';
