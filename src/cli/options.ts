import type { Command } from 'commander';
import { Option } from '../vendor/commander.js';
import { InputError } from '../data/errors.js';
import { type CommandName, commandGroups } from '../options/index.js';
import { flagName, type GroupValues, helpLine, type OptionDeclaration, type OptionGroup } from '../options/option.js';

/**
 * A flag's value through its declaration: the text becomes the schema's input, the schema checks it, and a bad value
 * gets the schema's own message (the one a definition file gets), after the flag and its text.
 */
export function flagValue(option: OptionDeclaration, text: string): unknown {
  const checked = option.kind.schema.safeParse(option.kind.fromText(text));
  if (!checked.success) throw new InputError(`${flagName(option)} '${text}' ${checked.error.issues[0].message}`);
  return checked.data;
}

/** commander's Option for a declaration: its flag, help (unit, default) and the parser that checks its value. */
function commanderOption(option: OptionDeclaration, heading: string): Option {
  const flag = option.placeholder ? `${flagName(option)} <${option.placeholder}>` : flagName(option);
  const made = new Option(flag, helpLine(option)).helpGroup(heading);
  if (option.placeholder) made.argParser((text: string) => flagValue(option, text));
  if (option.required) made.makeOptionMandatory();
  return made;
}

/** Adds every option the command takes, under its group's heading; no default is set here (the schemas fill them). */
export function addOptions(command: Command, name: CommandName): Command {
  for (const { title, options } of commandGroups(name))
    for (const option of Object.values(options)) command.addOption(commanderOption(option, `${title} options:`));
  return command;
}

/** commander's attribute name of a flag: --batch-size → batchSize, --no-autoencoder → autoencoder. */
const attributeOf = (option: OptionDeclaration): string =>
  option.flag.replace(/^no-/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** The values the command line gave for a group's options, keyed as the group keys them; absent ones left out. */
export function givenValues<G extends OptionGroup>(flags: Record<string, unknown>, group: G): Partial<GroupValues<G>> {
  const given: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(group)) {
    const value = flags[attributeOf(option)];
    if (value !== undefined) given[key] = value;
  }
  return given as Partial<GroupValues<G>>; // each value passed its schema in flagValue
}
