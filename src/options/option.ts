import { z } from '../vendor/zod.js';
import { InputError } from '../data/errors.js';
import { parseDecimal } from '../data/numbers.js';
import { issuesText } from '../data/schemaIssues.js';

/**
 * The kind of value an option takes: its zod schema (range and message included) and how a flag's text becomes the
 * schema's input. One message per kind ("must be an integer from 3 to 1000"), whether the value came from a flag or
 * from a definition file.
 */
export interface ValueKind<S extends z.ZodType = z.ZodType> {
  schema: S;
  /** The flag's text as the schema's input (a number, a list, the text itself); the schema then checks it. */
  fromText: (text: string) => unknown;
  /** What the value must be, for the reference and for errors: "an integer from 3 to 1000". */
  text: string;
}

/** The number a decimal text spells; any other text (hex, words) is returned as it is, for the schema to refuse. */
const decimalOrText = (text: string): number | string => parseDecimal(text) ?? text;

interface Range {
  integer?: boolean;
  min: number;
  max: number;
  /** The bounds themselves are not allowed (a share strictly between 0 and 1). */
  open?: boolean;
  /** Said after the range, e.g. "(a share: 0.05 for 5%)". */
  hint?: string;
}

const rangeText = ({ integer, min, max, open, hint }: Range): string =>
  `${integer ? 'an integer' : 'a number'} ${open ? `strictly between ${min} and ${max}` : `from ${min} to ${max}`}${hint ? ` ${hint}` : ''}`;

function rangeSchema(range: Range): z.ZodNumber {
  const error = `must be ${rangeText(range)}`;
  let schema = z.number({ error });
  if (range.integer) schema = schema.int({ error });
  return range.open
    ? schema.gt(range.min, { error }).lt(range.max, { error })
    : schema.min(range.min, { error }).max(range.max, { error });
}

/** A kind of value with its own schema (the schema's type is kept for the options that use it). */
export const kindOf = <S extends z.ZodType>(
  schema: S,
  fromText: (text: string) => unknown,
  text: string,
): ValueKind<S> => ({
  schema,
  fromText,
  text,
});

/** A number in a range; a flag's text must spell a plain decimal. */
export const number = (range: Omit<Range, 'integer'>): ValueKind<z.ZodNumber> => ({
  schema: rangeSchema(range),
  fromText: decimalOrText,
  text: rangeText(range),
});

/** An integer from `min` to `max`. */
export const integer = (min: number, max: number): ValueKind<z.ZodNumber> => ({
  schema: rangeSchema({ integer: true, min, max }),
  fromText: decimalOrText,
  text: rangeText({ integer: true, min, max }),
});

/** A share strictly between 0 and 1 (a level, a rate, a fraction of the rows). */
export const share = (hint?: string): ValueKind<z.ZodNumber> => number({ min: 0, max: 1, open: true, hint });

/** A list of values of one kind, non-empty unless `empty` allows it; a flag gives it comma-separated. */
export function listOf<S extends z.ZodType>(element: ValueKind<S>, { empty = false } = {}): ValueKind<z.ZodArray<S>> {
  const text = `a comma-separated list, each ${element.text}`;
  return {
    schema: z.array(element.schema, { error: `must be ${text}` }).min(empty ? 0 : 1, { error: `must be ${text}` }),
    fromText: (flag) => flag.split(',').map(element.fromText),
    text,
  };
}

/** One of a fixed set of words. */
export function oneOf<const T extends readonly [string, ...string[]]>(
  choices: T,
): ValueKind<z.ZodEnum<{ [K in T[number]]: K }>> {
  const text = `one of ${choices.join(', ')}`;
  return { schema: z.enum(choices, { error: `must be ${text}` }), fromText: (flag) => flag, text };
}

/** Names, comma-separated on a flag; empty entries dropped. */
export const nameList = (what: string): ValueKind<z.ZodArray<z.ZodString>> => ({
  schema: z.array(z.string().min(1), { error: `must be a list of ${what}` }),
  fromText: (flag) =>
    flag
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  text: `comma-separated ${what}`,
});

/** Free text (a path, a name, a list the command parses itself); `pattern` restricts it. */
export function words(what: string, pattern?: { regex: RegExp; text: string }): ValueKind<z.ZodString> {
  const text = pattern ? `${what}: ${pattern.text}` : what;
  let schema = z.string({ error: `must be ${text}` }).min(1, { error: `must be ${text}` });
  if (pattern) schema = schema.regex(pattern.regex, { error: `must be ${text}` });
  return { schema, fromText: (flag) => flag, text };
}

/** A switch: a flag without a value; true when given (false for a `--no-...` flag that turns a default off). */
export const onOff = (given = true): ValueKind<z.ZodBoolean> => ({
  schema: z.boolean({ error: 'must be true or false' }),
  fromText: () => given,
  text: 'true or false',
});

/** One option, declared once: its flag, help, unit, value kind and default; everything else is derived from it. */
export interface OptionDeclaration<S extends z.ZodType = z.ZodType> {
  /** The flag's long name without dashes, e.g. 'lr'. */
  flag: string;
  /** The flag's value placeholder, e.g. 'rate'; absent: a switch. */
  placeholder?: string;
  help: string;
  /** The unit of the value, when it has one: 'epochs', 'networks', 'minutes', 'share'. */
  unit?: string;
  kind: ValueKind;
  /** The default, as a value of the schema; absent: see `defaultText`, or none. */
  default?: unknown;
  /** How the default is found when it depends on the data or the machine, e.g. 'the number of cores'. */
  defaultText?: string;
  /** The schema, with its default (or optional); a definition field and a runner option use exactly this. */
  schema: S;
  /** The command refuses to run without it. */
  required?: boolean;
}

type WithDefault<K extends ValueKind> = z.ZodDefault<K['schema']>;
type Optional<K extends ValueKind> = z.ZodOptional<K['schema']>;

interface Declared<K extends ValueKind> {
  flag: string;
  placeholder?: string;
  help: string;
  unit?: string;
  kind: K;
}

/** An option with a fixed default. */
export function withDefault<K extends ValueKind>(
  declared: Declared<K> & { default: z.output<K['schema']> },
): OptionDeclaration<WithDefault<K>> & { default: z.output<K['schema']> } {
  return {
    ...declared,
    schema: declared.kind.schema.default(declared.default as never).describe(declared.help) as WithDefault<K>,
  };
}

/** An option the command cannot run without. */
export function required<K extends ValueKind>(
  declared: Declared<K>,
): OptionDeclaration<K['schema']> & { required: true } {
  return { ...declared, schema: declared.kind.schema.describe(declared.help) as K['schema'], required: true };
}

/** An option that may be absent: `defaultText` says what absence means. */
export function optional<K extends ValueKind>(
  declared: Declared<K> & { defaultText?: string },
): OptionDeclaration<Optional<K>> {
  return { ...declared, schema: declared.kind.schema.optional().describe(declared.help) as Optional<K> };
}

/** A group of options, keyed by their field name (a definition's field, a runner option's name). */
export type OptionGroup = Record<string, OptionDeclaration>;

/** The zod shape of a group: each field's schema (its range, default or optionality). */
export const schemaShape = <G extends OptionGroup>(group: G) =>
  Object.fromEntries(Object.entries(group).map(([key, o]) => [key, o.schema])) as { [K in keyof G]: G[K]['schema'] };

/** The zod object of a group: the runner options it describes, defaults filled on parse. */
export const groupSchema = <G extends OptionGroup>(group: G) => z.strictObject(schemaShape(group));

/** The values a group's options take after parsing (defaults filled). */
export type GroupValues<G extends OptionGroup> = { [K in keyof G]: z.output<G[K]['schema']> };
/** The values a caller may give (defaults optional). */
export type GroupInput<G extends OptionGroup> = z.input<ReturnType<typeof groupSchema<G>>>;

/** The flag as typed on a command line, '--lr'. */
export const flagName = (option: Pick<OptionDeclaration, 'flag'>): string => `--${option.flag}`;

/** How the default reads in help and in the reference. */
export function defaultOf(option: OptionDeclaration): string | undefined {
  const value = option.default;
  if (Array.isArray(value)) return value.length ? value.join(',') : 'none';
  if (typeof value === 'object' && value !== null) return Object.keys(value).length ? JSON.stringify(value) : 'none';
  if (value !== undefined) return String(value);
  return option.defaultText;
}

/** The one-line help of an option: its text, unit and default. */
export function helpLine(option: OptionDeclaration): string {
  const shown = defaultOf(option);
  const unit = option.unit ? ` [${option.unit}]` : '';
  return `${option.help}${unit}${shown !== undefined && option.placeholder ? ` (default: ${shown})` : ''}`;
}

/** A runner's options with their declared defaults filled; a bad value is an InputError naming the option. */
export function parseOptions<S extends z.ZodType>(schema: S, given: unknown, origin: string): z.output<S> {
  const parsed = schema.safeParse(given ?? {});
  if (!parsed.success) throw new InputError(`${origin}: ${issuesText(parsed.error, 'options')}`);
  return parsed.data;
}
