import { DEFAULT_FDR, DEFAULT_LEVEL } from './inferenceDefaults.js';
import { groupSchema, onOff, share, withDefault } from './option.js';

const A_SHARE = '(a share: 0.05 for 5%)';

/** How the measured losses become intervals and verdicts. */
export const INFERENCE_OPTIONS = {
  level: withDefault({
    flag: 'level',
    placeholder: 'p',
    help: 'confidence level of the intervals (over seeds)',
    unit: 'share',
    kind: share(A_SHARE),
    default: DEFAULT_LEVEL,
  }),
  fdr: withDefault({
    flag: 'fdr',
    placeholder: 'q',
    help: 'false-discovery rate of the per-cell helps/hurts verdicts (Benjamini-Hochberg)',
    unit: 'share',
    kind: share(A_SHARE),
    default: DEFAULT_FDR,
  }),
  subtractNullBias: withDefault({
    flag: 'subtract-null-bias',
    help: 'judge each cell against what a null partner does to the same task (needs null-control tasks)',
    kind: onOff(),
    default: false,
  }),
};

export const inferenceSchema = groupSchema(INFERENCE_OPTIONS);

/** The intervals' level and the verdicts' rate a reader gets when it names none. */
export const DEFAULT_INFERENCE = inferenceSchema.parse({});
