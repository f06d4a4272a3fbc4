import { onOff, optional, withDefault, words } from './option.js';

/** tra paper: where the paper goes and whether Chromium makes the PDFs. */
export const PAPER_OPTIONS = {
  out: optional({
    flag: 'out',
    placeholder: 'dir',
    help: 'output folder for the figures, tables, methods, references and documents (a new, empty or tra-written folder)',
    kind: words('a folder path'),
    defaultText: '<dir>/paper',
  }),
  pdf: withDefault({
    flag: 'no-pdf',
    help: 'SVG figures only: do not start Chromium for the PDFs',
    kind: onOff(false),
    default: true,
  }),
};
