/**
 * The paper's text, written once and rendered twice: LaTeX (pdflatex with T1 and utf8 inputenc) and Markdown. Text is
 * a list of parts (plain text, citations, inline math with a plain twin, code); tables are cells of such text. Every
 * value from the data (task names above all) is escaped for both: nothing in a task name can run as LaTeX or HTML.
 */
import { BIBLIOGRAPHY, type ReferenceKey } from './references.js';

export type Part = string | { cite: ReferenceKey[] } | { math: string; plain: string } | { code: string };
export type Text = Part[];

/** A citation part. */
export const cite = (...keys: ReferenceKey[]): Part => ({ cite: keys });
/** Inline math (LaTeX) and how it reads in Markdown. */
export const math = (tex: string, plain: string): Part => ({ math: tex, plain });
export const code = (text: string): Part => ({ code: text });

/** Characters pdflatex cannot take from utf8 input as they are, and what to write instead. */
const LATEX_SYMBOLS: Record<string, string> = {
  '\u2212': '$-$',
  '\u2026': '\\ldots{}',
  '\u2192': '$\\rightarrow$',
  '\u2190': '$\\leftarrow$',
  '\u03c1': '$\\rho$',
  '\u00b7': '$\\cdot$',
  '\u00d7': '$\\times$',
  '\u00b1': '$\\pm$',
  '\u2264': '$\\le$',
  '\u2265': '$\\ge$',
  '\u2013': '--',
  '\u2014': '---',
  '\u2020': '\\dag{}',
  '\u2021': '\\ddag{}',
  '\u2009': '\\,',
  '\u00a0': '~',
  '\u2018': '`',
  '\u2019': "'",
  '\u201c': '``',
  '\u201d': "''",
};

const LATEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '%': '\\%',
  _: '\\_',
  '^': '\\^{}',
  '~': '\\~{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
  '"': "''",
};

/**
 * Plain text for LaTeX: its special characters escaped, the symbols above spelled out, Latin-1 letters kept (T1
 * fonts have them), anything else replaced by '?' (a name in another script would stop pdflatex).
 */
export function escapeLatex(text: string): string {
  let out = '';
  for (const c of text) {
    if (LATEX_SPECIAL[c] !== undefined) out += LATEX_SPECIAL[c];
    else if (LATEX_SYMBOLS[c] !== undefined) out += LATEX_SYMBOLS[c];
    else if (c === '\n' || c === '\t') out += ' ';
    else if (c.charCodeAt(0) < 0x20) out += '';
    else if (c.charCodeAt(0) < 0x7f || (c.charCodeAt(0) >= 0xa1 && c.charCodeAt(0) <= 0xff)) out += c;
    else out += '?';
  }
  return out;
}

/**
 * Plain text for Markdown: HTML's <, > and & as entities, the punctuation that marks up inline text backslash-escaped
 * (and what starts a heading or list at the start), one line.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/^(\s*)([-=+#>])/, '$1\\$2')
    .replace(/^(\s*\d+)\./, '$1\\.');
}

export function latex(text: Text): string {
  let out = '';
  for (const part of text) {
    if (typeof part === 'string') out += escapeLatex(part);
    // A citation is tied to the word before it (the space written for Markdown's "(Author, year)" becomes the tie).
    else if ('cite' in part) out = `${out.trimEnd()}~\\cite{${part.cite.join(',')}}`;
    else if ('math' in part) out += `$${part.math}$`;
    // In typewriter type '--' would print as one dash: '-{}' keeps every hyphen.
    else out += `\\texttt{${escapeLatex(part.code).replace(/-/g, '-{}')}}`;
  }
  return out;
}

export function markdown(text: Text): string {
  return text
    .map((part) => {
      if (typeof part === 'string') return escapeMarkdown(part);
      if ('cite' in part) return `(${part.cite.map((key) => BIBLIOGRAPHY[key].short).join('; ')})`;
      if ('math' in part) return escapeMarkdown(part.plain);
      return `\`${part.code.replace(/`/g, "'")}\``;
    })
    .join('');
}

/** The citation keys a text uses, in order of first use. */
export const citations = (texts: Text[]): ReferenceKey[] => [
  ...new Set(texts.flat().flatMap((part) => (typeof part === 'object' && 'cite' in part ? part.cite : []))),
];
