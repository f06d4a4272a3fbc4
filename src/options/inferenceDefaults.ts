/**
 * The intervals' level and the verdicts' false-discovery rate when none is given: the defaults of --level and --fdr
 * (inference.ts declares them with these), in a module of their own so that the page script and the readers of an
 * artefact that records none use them without loading the option machinery.
 */
export const DEFAULT_LEVEL = 0.95;
export const DEFAULT_FDR = 0.05;
