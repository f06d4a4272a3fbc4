import { createHash } from 'node:crypto';
import { jsonPieces } from '../../artefacts/files.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML text node or a quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

const JSON_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON safe to place inside `<script type="application/json">`: no `<` (so no `</script` or `<!--`), `>`, `&` or
 * line/paragraph separators appear raw; JSON.parse of the element's text gives the value back. Non-finite numbers
 * become null, as in every JSON file the tool writes. In pieces (artefacts/files.ts jsonPieces), for a page too large
 * to hold as one string.
 */
export function* scriptSafeJsonPieces(value: unknown): Generator<string> {
  for (const piece of jsonPieces(value, false)) yield piece.replace(/[<>&\u2028\u2029]/g, (c) => JSON_ESCAPES[c]);
}

/** scriptSafeJsonPieces as one string. */
export const scriptSafeJson = (value: unknown): string => [...scriptSafeJsonPieces(value)].join('');

/** The CSP source expression allowing exactly this inline script text. */
export const cspHash = (scriptText: string): string =>
  `'sha256-${createHash('sha256').update(scriptText, 'utf8').digest('base64')}'`;
