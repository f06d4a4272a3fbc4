import { InputError } from './errors.js';

/**
 * Which columns are tasks: `last:N`, `first:N`, or a comma-separated list of names.
 * Features are every other column unless named explicitly; `featureColumns` of them must remain (0: the header names
 * targets only, as a model's data loader gives them).
 */
export function resolveTaskColumns(header: string[], spec: string, file: string, featureColumns = 1): string[] {
  const positional = /^(first|last):(\d+)$/.exec(spec.trim());
  if (positional) {
    const count = Number(positional[2]);
    if (count < 1 || count > header.length - featureColumns)
      throw new InputError(
        `${file}: --tasks ${spec} asks for ${count} task columns, but the file has ${header.length} columns${featureColumns ? ' (at least one must remain a feature)' : ''}`,
      );
    return positional[1] === 'last' ? header.slice(header.length - count) : header.slice(0, count);
  }
  return resolveNamedColumns(header, spec, file, '--tasks');
}

/** A task named by a user: its name, else its 0-based index; -1 when it is neither. */
export function taskIndexOf(token: string, taskNames: readonly string[]): number {
  const name = token.trim();
  if (taskNames.includes(name)) return taskNames.indexOf(name);
  const index = /^\d+$/.test(name) ? Number(name) : -1;
  return index < taskNames.length ? index : -1;
}

export function resolveNamedColumns(header: string[], spec: string, file: string, flag: string): string[] {
  const names = spec
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new InputError(`${flag} is empty: name columns (comma-separated) or use last:N`);
  const unknown = names.filter((name) => !header.includes(name));
  if (unknown.length > 0)
    throw new InputError(
      `${file}: ${flag} names unknown column(s) ${unknown.map((n) => `'${n}'`).join(', ')}; the header has ${summariseNames(header)}`,
    );
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) throw new InputError(`${flag} names column '${repeated[0]}' twice`);
  return names;
}

function summariseNames(names: string[]): string {
  const shown = names
    .slice(0, 8)
    .map((n) => `'${n}'`)
    .join(', ');
  return names.length > 8 ? `${shown}, … (${names.length} columns)` : shown;
}
