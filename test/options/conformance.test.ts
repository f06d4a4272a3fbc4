/**
 * The options conformance test: every declared option appears in the help of exactly the commands that take it (and
 * no command shows a flag that is not declared), and a bad value gets the same message from a flag as from a
 * definition file or a runner's options.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { program, runCli } from '../../src/cli/program.js';
import { issuePath } from '../../src/data/schemaIssues.js';
import { COMMAND_OPTIONS, type CommandName, OPTION_GROUPS, commandGroups } from '../../src/options/index.js';
import { flagName, groupSchema, type OptionDeclaration } from '../../src/options/option.js';
import { ENGINE_OPTIONS } from '../../src/options/engine.js';
import { SPLIT_OPTIONS } from '../../src/options/split.js';
import { tempDir, validCsv } from '../helpers/files.js';

const COMMANDS = Object.keys(COMMAND_OPTIONS) as CommandName[];
const tra = await program();
const helpOf = (name: string): string => {
  const command = tra.commands.find((c) => c.name() === name);
  assert.ok(command, `tra ${name} is registered`);
  return command.helpInformation();
};
/** The long flags a help text lists (each option's line starts with its flags). */
const flagsIn = (help: string): string[] =>
  [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]).filter((f) => f !== '--help');

test('every command shows exactly the flags its option groups declare, under the groups’ headings', () => {
  for (const name of COMMANDS) {
    const help = helpOf(name);
    const declared = commandGroups(name).flatMap((g) => Object.values(g.options).map(flagName));
    assert.deepEqual(flagsIn(help).sort(), [...declared].sort(), `tra ${name} --help`);
    for (const { title } of commandGroups(name)) assert.match(help, new RegExp(`^${title} options:`, 'm'), name);
  }
});

test('every declared option is taken by some command, and a command with no option groups takes no flag', () => {
  const used = new Set(COMMANDS.flatMap((name) => commandGroups(name).flatMap((g) => Object.values(g.options))));
  for (const { options } of Object.values(OPTION_GROUPS))
    for (const option of Object.values(options) as OptionDeclaration[])
      assert.ok(used.has(option), `${flagName(option)} is declared but no command takes it`);
  for (const command of tra.commands)
    if (!(command.name() in COMMAND_OPTIONS)) assert.deepEqual(flagsIn(command.helpInformation()), [], command.name());
});

test('a flag means one thing: the same flag is the same declaration (or the same flag, kind and placeholder) everywhere', () => {
  const seen = new Map<string, OptionDeclaration>();
  for (const { options } of Object.values(OPTION_GROUPS))
    for (const option of Object.values(options) as OptionDeclaration[]) {
      const other = seen.get(option.flag);
      if (other && other !== option)
        assert.equal(`${other.placeholder}`, `${option.placeholder}`, `${flagName(option)} takes one kind of value`);
      seen.set(option.flag, option);
    }
});

test('every command that trains takes every engine option, the backend and --quiet; the sweep trainer’s users its workers and time limit', () => {
  const flagsOf = (name: CommandName): Set<string> =>
    new Set(commandGroups(name).flatMap((g) => Object.values(g.options).map(flagName)));
  const { backend, workers, maxHours, quiet } = OPTION_GROUPS.execution.options;
  const planned = ['sweep', 'run', 'group', 'auxiliary'] as const;
  for (const name of [...planned, 'plan', 'proxies', 'taxonomy'] as const) {
    const flags = flagsOf(name);
    for (const option of [...Object.values(ENGINE_OPTIONS), backend])
      assert.ok(flags.has(flagName(option)), `tra ${name} ${flagName(option)}`);
    if (name !== 'plan') assert.ok(flags.has(flagName(quiet)), `tra ${name} --quiet`);
    if ((planned as readonly string[]).includes(name))
      for (const option of [workers, maxHours])
        assert.ok(flags.has(flagName(option)), `tra ${name} ${flagName(option)}`);
  }
});

/** Texts tried as bad values: the first one an option's schema refuses is its bad value. */
const BAD_TEXTS = ['-1e12', '1e12', 'bogus', '0.5', '1,x'];
const badText = (option: OptionDeclaration): string | undefined =>
  BAD_TEXTS.find((text) => !option.kind.schema.safeParse(option.kind.fromText(text)).success);

/** The message after the place: `--lr '0' must be …` and `engine.learningRate: must be …` both give `must be …`. */
const messageOf = (line: string): string => line.replace(/^tra: /, '').replace(/^(--[\w-]+ '[^']*' |.*?: )/, '');

async function stderrOf(args: string[], cwd: string): Promise<string> {
  const write = process.stderr.write.bind(process.stderr);
  const previous = process.cwd();
  let text = '';
  process.stderr.write = ((chunk: string) => {
    text += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    process.chdir(cwd);
    const code = await runCli(args);
    assert.equal(code, 2, `${args.join(' ')}: ${text}`);
  } finally {
    process.stderr.write = write;
    process.chdir(previous);
  }
  return text.trim();
}

/** Where an option of a definition group lives in a definition, and a definition that holds it. */
function definitionWith(key: string, option: OptionDeclaration, value: unknown): Record<string, unknown> {
  const base = { name: 'd', data: 'data.csv', tasks: 'last:3', seeds: 1 };
  if (ENGINE_OPTIONS[key as keyof typeof ENGINE_OPTIONS] === option) return { ...base, engine: { [key]: value } };
  const kind = key === 'folds' ? 'kfold' : 'holdout';
  if (key !== 'seeds' && SPLIT_OPTIONS[key as keyof typeof SPLIT_OPTIONS] === option)
    return { ...base, split: key === 'kind' ? { kind: value } : { kind, [key]: value } };
  return { ...base, [key]: value };
}

test('a bad value of a definition field gets the same message from a tra sweep flag as from a definition file', async () => {
  const ws = tempDir();
  writeFileSync(join(ws, 'data.csv'), validCsv());
  let compared = 0;
  for (const name of ['data', 'engine', 'split', 'sweep', 'inference', 'output'] as const)
    for (const [key, option] of Object.entries(OPTION_GROUPS[name].options) as [string, OptionDeclaration][]) {
      const text = badText(option);
      if (text === undefined || !option.placeholder) continue;
      const fromFlag = await stderrOf(['sweep', '--data', 'data.csv', '--tasks', 'last:3', flagName(option), text], ws);
      writeFileSync(join(ws, 'def.json'), JSON.stringify(definitionWith(key, option, option.kind.fromText(text))));
      const fromFile = await stderrOf(['run', 'def.json'], ws);
      assert.match(fromFlag, new RegExp(`^tra: ${flagName(option)} '`), fromFlag);
      assert.match(fromFile, /^tra: def\.json: /, fromFile);
      assert.equal(messageOf(fromFile.replace('def.json: ', '')), messageOf(fromFlag), `${flagName(option)} ${text}`);
      compared++;
    }
  // every field but the free-text ones (paths, names, column lists), which no text makes bad
  assert.ok(compared >= 19, `${compared} fields compared`);
});

test('a bad value of a command option gets the same message from its flag as from the runner’s options', () => {
  let compared = 0;
  for (const name of ['grouping', 'auxiliary', 'proxies', 'taxonomy', 'baselines', 'import', 'execution'] as const) {
    const { options } = OPTION_GROUPS[name];
    const schema = groupSchema(options);
    for (const [key, option] of Object.entries(options) as [string, OptionDeclaration][]) {
      const text = badText(option);
      if (text === undefined || !option.placeholder) continue;
      const flagIssue = option.kind.schema.safeParse(option.kind.fromText(text)).error?.issues[0];
      const runnerIssue = schema
        .safeParse({ [key]: option.kind.fromText(text) })
        .error?.issues.find((issue) => issue.path[0] === key);
      assert.ok(flagIssue && runnerIssue, `${flagName(option)} ${text} is refused both ways`);
      assert.equal(runnerIssue.message, flagIssue.message, `${flagName(option)} ${text}`);
      assert.match(issuePath(runnerIssue.path), new RegExp(`^${key}`));
      compared++;
    }
  }
  assert.ok(compared >= 20, `${compared} options compared`);
});
