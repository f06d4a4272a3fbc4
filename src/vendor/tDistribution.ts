/**
 * Student's t distribution (CDF and quantile) from @stdlib, re-exported from one module so that `npm run build` can
 * bundle it into this one file (scripts/build/vendor.mjs bundles each module of src/vendor): the two packages are 417 CommonJS files, whose loading took
 * about 85 ms of every command's start-up, the bundle about 14 ms. The code is stdlib's, unchanged; unbundled (tsc's
 * output alone) it works the same.
 */
export { default as tCdf } from '@stdlib/stats-base-dists-t-cdf';
export { default as tQuantile } from '@stdlib/stats-base-dists-t-quantile';
