/**
 * Names a person reads (columns, tasks): refused when they hold a control character (a newline breaks the terminal
 * matrix and every line-based output; a tab or an escape sequence garbles them), and when two differ only in Unicode
 * normalisation (é written as one code point, NFC, or as e plus a combining accent, NFD): they would be two tasks that
 * look like one everywhere.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its job
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const codePoint = (char: string): string =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `name` cannot be shown safely, or undefined. */
export function nameProblem(name: string): string | undefined {
  const control = CONTROL.exec(name);
  return control
    ? `the name ${JSON.stringify(name)} holds a control character (${codePoint(control[0])}); rename it`
    : undefined;
}

/** The code points of a name, to show how two look-alikes differ. */
const spelled = (name: string): string => [...name].map(codePoint).join(' ');

/** Why two of `names` cannot stand side by side (they differ only in normalisation), or undefined. */
export function lookAlikeProblem(names: readonly string[]): string | undefined {
  const seen = new Map<string, string>();
  for (const name of names) {
    const key = name.normalize('NFC');
    const other = seen.get(key);
    if (other !== undefined && other !== name)
      return `'${other}' and '${name}' differ only in Unicode normalisation (${spelled(other)} vs ${spelled(name)}), so they look like one name; write both the same way (NFC)`;
    seen.set(key, name);
  }
  return undefined;
}
