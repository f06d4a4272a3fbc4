/**
 * ml-hclust's agglomeration (and with it ml-matrix, heap and ml-distance), re-exported from one module so that
 * `npm run build` can bundle it into this one file (scripts/build/vendor.mjs): every sweep draws its page's dendrogram
 * with it, and unbundled its CommonJS parts went through node's export scan (ml-matrix's 150 KB alone), about 40 ms of
 * CPU at start-up on the Intel Xeon of session 8 against 6 ms bundled. Every value import of ml-hclust goes through
 * here; unbundled (tsc's output alone) it works the same.
 */
export { agnes } from 'ml-hclust';
