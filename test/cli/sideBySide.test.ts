/**
 * Results live side by side: each command keeps its own artefact in the folder (tra auxiliary one per main task, the
 * closed loop until recomputed), the page draws all of them, and REPRODUCE names the command behind each file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir, validCsv, writeTemp } from '../helpers/files.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const tra = (...args: string[]) => {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env } });
  assert.equal(run.status, 0, `tra ${args.join(' ')}: ${run.stderr}`);
  return run;
};
// biome-ignore lint/suspicious/noExplicitAny: the test walks the JSON the commands wrote
type Json = Record<string, any>;
const json = (path: string): Json => JSON.parse(readFileSync(path, 'utf8'));
const pageData = (out: string): Json => {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(
    readFileSync(join(out, 'index.html'), 'utf8'),
  );
  assert.ok(m, 'the page embeds its data');
  return JSON.parse(m[1]);
};
/** The page's REPRODUCE block as text: each command, then the files it wrote. */
const reproduce = (out: string): string => {
  const m = /<div class="reproduce">([\s\S]*?)<\/div>/.exec(readFileSync(join(out, 'index.html'), 'utf8'));
  assert.ok(m, 'the page has a REPRODUCE block');
  return m[1].replace(/<[^>]+>/g, '\n').replace(/&#39;/g, "'");
};

test('tra auxiliary for two main tasks and tra group --main keep three rankings; tra group without --validate keeps the closed loop; the page shows all and REPRODUCE names each command', () => {
  const out = tempDir();
  const def = writeTemp(
    'side.json',
    JSON.stringify({
      name: 'side',
      data: writeTemp('ok.csv', validCsv()),
      tasks: 'last:3',
      seeds: 2,
      split: { kind: 'holdout' },
      engine: { epochs: 2, hidden: [4] },
      out,
    }),
  );
  const group = ['group', def, '--quiet', '--bootstrap', '2', '--early-fractions', '0.5'];
  tra(...group, '--validate', '--validate-seeds', '2');
  const validated = json(join(out, 'grouping.json')).closedLoop;
  assert.deepEqual(validated.seeds, [2, 3], 'the closed loop trained fresh seeds 2 and 3');

  // a rerun without --validate scores the closed loop from its journal instead of dropping it
  tra(...group, '--main', 'a');
  const kept = json(join(out, 'grouping.json')).closedLoop;
  assert.deepEqual(kept, validated, 'the same closed loop, read back from closed-loop/journal.jsonl');
  assert.equal(pageData(out).grouping.closedLoop.seeds.length, 2, 'the page still draws it');
  assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /Closed loop on fresh seeds 2, 3:/);

  const auxiliary = ['auxiliary', def, '--quiet', '--move-each', '0', '--move-set', '0', '--no-autoencoder'];
  tra(...auxiliary, '--main', 'b');
  tra(...auxiliary, '--main', 'r');
  assert.equal(json(join(out, 'auxiliary.json')).main, 'a', "tra group's ranking for a is kept");
  assert.equal(json(join(out, 'auxiliary-b', 'auxiliary.json')).main, 'b', "tra auxiliary's for b is kept");
  assert.equal(json(join(out, 'auxiliary-r', 'auxiliary.json')).main, 'r');
  assert.ok(existsSync(join(out, 'auxiliary-b', 'auxiliary-candidates.csv')));

  tra('affinity', out, '--level', '0.9');
  const page = pageData(out);
  assert.equal(page.auxiliary.main, 'a');
  assert.deepEqual(
    page.auxiliaryCandidates.rankings.map((r: Json) => r.main),
    ['b', 'r'],
    'both main tasks of tra auxiliary are on the page',
  );
  assert.ok(page.grouping.closedLoop, 'tra affinity redraws the page with the closed loop still there');
  const commands = reproduce(out);
  for (const [command, files] of [
    ['tra affinity', 'affinity.json'],
    ['tra group', 'grouping.json, auxiliary.json'],
    ['tra auxiliary', 'auxiliary-b/auxiliary.json'],
    ['tra auxiliary', 'auxiliary-r/auxiliary.json'],
  ])
    assert.match(
      commands,
      new RegExp(`${command} [^\\n]*\\n+wrote ${files.replace(/[.]/g, '\\.')}\\n`),
      `REPRODUCE names the command behind ${files}:\n${commands}`,
    );
});
