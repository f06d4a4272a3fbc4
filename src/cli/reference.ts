import { writeFileAtomic } from '../io/write.js';
import type { Command } from 'commander';
import { COMMAND_OPTIONS, type CommandName, commandGroups, OPTION_GROUPS } from '../options/index.js';
import { defaultOf, flagName, type OptionDeclaration, type OptionGroup } from '../options/option.js';
import { program } from './program.js';

/** docs/REFERENCE.md: every command, its arguments and its flags, generated from the option declarations. */
export const REFERENCE_FILE = 'docs/REFERENCE.md';

const cell = (text: string | undefined): string => (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function optionRows(options: OptionGroup): string[] {
  return Object.values(options).map((option: OptionDeclaration) => {
    const flag = option.placeholder ? `${flagName(option)} <${option.placeholder}>` : flagName(option);
    const value = option.placeholder ? option.kind.text : 'a switch';
    const unit = option.unit ? ` [${option.unit}]` : '';
    return `| \`${cell(flag)}\`${option.required ? ' (required)' : ''} | ${cell(value)}${unit} | ${cell(option.placeholder ? defaultOf(option) : undefined)} | ${cell(option.help)} |`;
  });
}

function commandSection(command: Command): string[] {
  const args = command.registeredArguments.map((a) =>
    a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}]`,
  );
  const lines = [
    `## tra ${command.name()}`,
    '',
    `\`tra ${[command.name(), ...args].join(' ')} [options]\``,
    '',
    command.description(),
    '',
  ];
  for (const a of command.registeredArguments) lines.push(`- \`${a.name()}\`: ${a.description}`);
  if (command.registeredArguments.length) lines.push('');
  if (!(command.name() in COMMAND_OPTIONS)) return [...lines, 'No options.', ''];
  for (const { title, options } of commandGroups(command.name() as CommandName))
    lines.push(
      `**${title}**`,
      '',
      '| flag | value | default | what it does |',
      '|---|---|---|---|',
      ...optionRows(options),
      '',
    );
  return lines;
}

/** The analysis definition's fields and the flag that overrides each. */
function definitionSection(): string[] {
  const { data, engine, split, sweep, inference, execution, output } = OPTION_GROUPS;
  const { kind, folds, validation, test, ...splitTop } = split.options;
  const rows = (prefix: string, options: OptionGroup): string[] =>
    Object.entries(options).map(
      ([key, option]) =>
        `| \`${prefix}${key}\` | \`${flagName(option)}\` | ${cell(option.kind.text)} | ${cell(defaultOf(option))} |`,
    );
  const { backend, workers } = execution.options;
  const { name, description, out } = output.options;
  return [
    '## The analysis definition',
    '',
    '`tra run`, `tra group`, `tra auxiliary`, `tra proxies`, `tra taxonomy` and `tra plan` read a definition (a JSON file, or the',
    '`definition.json` a sweep writes into its folder); `tra sweep` builds one from its flags. Each field has the flag',
    "that sets it; a flag given to a command that reads a definition overrides the file's value, and the effective",
    'definition is what the journal hashes and records. `tra schema definition` prints the JSON Schema.',
    '',
    '| field | flag | value | default |',
    '|---|---|---|---|',
    ...rows('', { name, description }),
    ...rows('', data.options),
    ...rows('', splitTop),
    ...rows('split.', { kind, folds, validation, test }),
    ...rows('engine.', engine.options),
    ...rows('', sweep.options),
    ...rows('', inference.options),
    ...rows('', { backend, workers, out }),
    '',
  ];
}

export async function referenceMarkdown(): Promise<string> {
  const { commands } = await program();
  return [
    '# Command reference',
    '',
    '<!-- Generated from src/options/ by `npm run reference`; test/options/reference.test.ts checks it is up to date. -->',
    '',
    'Every flag of every command, its value, default and unit. Each option is declared once in `src/options/`;',
    'a flag means the same wherever it appears, and a bad value gets the same message from a flag as from a definition.',
    '',
    ...commands.map((c) => `- [tra ${c.name()}](#tra-${c.name()})`),
    '- [The analysis definition](#the-analysis-definition)',
    '',
    ...commands.flatMap(commandSection),
    ...definitionSection(),
  ].join('\n');
}

/** `npm run reference`: rewrites docs/REFERENCE.md. */
export const writeReference = async (): Promise<void> => writeFileAtomic(REFERENCE_FILE, await referenceMarkdown());
