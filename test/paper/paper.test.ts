/**
 * tra paper from analysis folders of 3, 7, 14 and 174 tasks (test/paper/folder.ts): the methods state the numbers the
 * artefacts hold and name every recorded deviation; hostile task names stay text; without Chromium the SVG, LaTeX and
 * Markdown are still written. Then, with Chromium and TeX Live: no label collides in any figure, every SVG parses,
 * every PDF opens, and paper.tex compiles into a PDF whose pages and fonts are checked. The LaTeX and PDF checks do
 * not depend on the training backend: CI runs them on its native leg only (TRA_BACKEND unset or native).
 */
import { COMMON_START } from '../../src/engine/start.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { folderName } from '../../src/artefacts/auxiliary.js';
import { runPaper, type PaperOutcome } from '../../src/analysis/paper.js';
import { writeArtefacts } from '../../src/analysis/write.js';
import { tempDir } from '../helpers/files.js';
import { launchChromium } from '../report/chromium.js';
import { HOSTILE, SCRIPT_BREAKER } from '../report/fixtures.js';
import { PROXY_DEVIATION, TAXONOMY_DEVIATION, writeFixtureFolder } from './folder.js';

const PAPER_LEG = !process.env.TRA_BACKEND || process.env.TRA_BACKEND === 'native';
const ONE_LEG = PAPER_LEG ? false : 'LaTeX and PDF checks do not depend on the backend: they run on the native leg';

const text = (outcome: PaperOutcome, path: string): string => {
  const file = outcome.artefacts.paper.files.find((f) => f.path === path);
  assert.ok(file, `${path} is written`);
  return String(file.content);
};

test('the methods state the seeds, level, FDR and reliability affinity.json holds, and name every recorded deviation', async () => {
  const dir = writeFixtureFolder(tempDir(), 7);
  const outcome = await runPaper({ dir, pdf: false });
  const affinity = JSON.parse(readFileSync(join(dir, 'affinity.json'), 'utf8'));
  const seeds = new Set(affinity.replications.map((r: string) => /^s(\d+)/.exec(r)?.[1])).size;
  const folds = affinity.replications.length / seeds;
  for (const methods of [text(outcome, 'methods.md'), text(outcome, 'methods.tex')]) {
    assert.match(methods, new RegExp(`trained on ${seeds} seeds \\(0, 1\\), ${folds} folds each`));
    assert.match(methods, new RegExp(`${Math.round(affinity.level * 100)}\\\\?% intervals use Student`));
    assert.match(methods, new RegExp(`false-discovery rate of ${Math.round(affinity.inference.fdr * 100)}\\\\?%`));
    assert.match(methods, new RegExp(`mean r = ${affinity.reliability.halfCorrelation.toFixed(2)}`));
    assert.match(
      methods,
      new RegExp(`reliability of the whole matrix, ${affinity.reliability.reliability.toFixed(2)}`),
    );
    const counts = affinity.inference.counts;
    assert.match(methods, new RegExp(`${counts.helps} cells help, ${counts.hurts} hurt`));
  }
  const md = text(outcome, 'methods.md');
  // every ranking the folder holds: tra group --main's, and tra auxiliary's for two more main tasks
  const mains = [affinity.taskNames[0], affinity.taskNames[1], HOSTILE.replace('<', '&lt;').replace('>', '&gt;')];
  for (const main of mains) assert.ok(md.includes(`Auxiliary tasks for ${main} are ranked`), main);
  const stems = ['auxiliary', `auxiliary-${folderName(affinity.taskNames[1])}`, `auxiliary-${folderName(HOSTILE)}`];
  for (const stem of stems) {
    assert.ok(text(outcome, `tables/${stem}.tex`), stem);
    assert.ok(text(outcome, `figures/${stem}-column.svg`), stem);
  }
  assert.ok(text(outcome, 'appendix.md').includes(`auxiliary-${folderName(affinity.taskNames[1])}/auxiliary.json`));
  assert.ok(md.includes(PROXY_DEVIATION), 'the proxy deviation is named');
  assert.ok(md.includes(TAXONOMY_DEVIATION), 'the taxonomy deviation is named');
  assert.ok(md.includes(`the networks' initialisation (Standley et al., 2020): ${COMMON_START}`), 'the start is named');
  assert.match(md, /the lookahead \(TAG\) proxy \(Fifty et al\., 2021\): one seed/);
  assert.match(text(outcome, 'methods.tex'), /the lookahead \(TAG\) proxy~\\cite\{fifty2021\}: one seed/);
});

test('hostile task names stay text in LaTeX and Markdown; every citation has its BibTeX entry', async () => {
  const outcome = await runPaper({ dir: writeFixtureFolder(tempDir(), 7), pdf: false });
  for (const path of ['paper.md', 'tables/gain-matrix.md', 'tables/budget.md'])
    assert.ok(
      !/<img|<\/?script/i.test(text(outcome, path).replace(/`[^`]*`/g, '')),
      `${path}: no raw HTML from a task name outside code spans (which show it as text)`,
    );
  const tex = outcome.artefacts.paper.files.filter((f) => f.path.endsWith('.tex')).map((f) => String(f.content));
  assert.ok(
    tex.some((t) => t.includes('\\textless{}img src=x onerror=alert(1)\\textgreater{}')),
    HOSTILE,
  );
  assert.ok(
    tex.some((t) => t.includes('\\textless{}/script\\textgreater{}')),
    SCRIPT_BREAKER,
  );
  const cited = new Set(tex.flatMap((t) => [...t.matchAll(/\\cite\{([^}]*)\}/g)].flatMap((m) => m[1].split(','))));
  const bib = text(outcome, 'references.bib');
  const entries = new Set([...bib.matchAll(/^@\w+\{(\w+),/gm)].map((m) => m[1]));
  assert.deepEqual([...cited].sort(), [...entries].sort(), 'references.bib holds exactly the cited entries');
  for (const key of ['standley2020', 'benjamini1995', 'zamir2018', 'fifty2021', 'evgeniou2004', 'jacob2008'])
    assert.ok(entries.has(key), `${key} is cited`);
});

test('without Chromium: SVG, LaTeX and Markdown are written, and one line says PDFs need Chromium', async () => {
  const saved = process.env.TRA_CHROMIUM;
  process.env.TRA_CHROMIUM = '/nonexistent/chromium';
  try {
    const outcome = await runPaper({ dir: writeFixtureFolder(tempDir(), 3) });
    assert.equal(outcome.notes.length, 1);
    assert.match(outcome.notes[0], /^PDF figures need Chromium/);
    assert.ok(!outcome.artefacts.paper.files.some((f) => f.path.endsWith('.pdf')));
    assert.ok(outcome.artefacts.paper.files.some((f) => f.path === 'figures/affinity-column.svg'));
    assert.match(text(outcome, 'paper.tex'), /the PDF needs Chromium/);
  } finally {
    if (saved === undefined) delete process.env.TRA_CHROMIUM;
    else process.env.TRA_CHROMIUM = saved;
  }
});

let browser: Browser | undefined;

before(async () => {
  if (PAPER_LEG) browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

/** Every SVG parses as XML (Chromium's strict parser) and every PDF renders (pdftoppm). */
async function assertFiguresOpen(out: string, outcome: PaperOutcome): Promise<void> {
  const page = await browser!.newPage();
  try {
    for (const file of outcome.artefacts.paper.files.filter((f) => f.path.endsWith('.svg'))) {
      const error = await page.evaluate((svg) => {
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        return (
          doc.querySelector('parsererror')?.textContent ?? (doc.documentElement.nodeName === 'svg' ? null : 'no svg')
        );
      }, String(file.content));
      assert.equal(error, null, `${file.path} parses`);
    }
  } finally {
    await page.close();
  }
  const pdfs = outcome.artefacts.paper.files.filter((f) => f.path.endsWith('.pdf'));
  assert.equal(
    pdfs.length,
    outcome.artefacts.paper.files.filter((f) => f.path.endsWith('.svg')).length,
    'a PDF for every SVG',
  );
  const images = tempDir();
  for (const [k, pdf] of pdfs.entries())
    execFileSync('pdftoppm', ['-r', '12', '-png', join(out, pdf.path), join(images, `f${k}`)]);
  assert.equal(readdirSync(images).length, pdfs.length, 'pdftoppm renders one page of every figure PDF');
}

/** pdflatex twice; returns the PDF's page count and its fonts (pdffonts). */
function compile(out: string): { pages: number; fonts: string[][] } {
  for (let pass = 0; pass < 2; pass++)
    execFileSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'paper.tex'], { cwd: out, stdio: 'pipe' });
  const info = execFileSync('pdfinfo', ['paper.pdf'], { cwd: out, encoding: 'utf8' });
  const fonts = execFileSync('pdffonts', ['paper.pdf'], { cwd: out, encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/));
  return { pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]), fonts };
}

for (const [T, pages] of [
  [3, [3, 8]],
  [14, [3, 10]],
  [174, [3, 12]],
] as const)
  test(`${T} tasks: no label collides in any figure, SVGs parse, PDFs open, paper.tex compiles`, {
    skip: ONE_LEG,
  }, async () => {
    const out = tempDir();
    const outcome = await runPaper({ dir: writeFixtureFolder(tempDir(), T), out });
    assert.deepEqual(outcome.labelProblems, [], 'labels clear in every figure as Chromium renders it');
    assert.deepEqual(outcome.notes, []);
    writeArtefacts(outcome);
    await assertFiguresOpen(out, outcome);
    const { pages: count, fonts } = compile(out);
    assert.ok(count >= pages[0] && count <= pages[1], `${count} pages`);
    // pdffonts columns: name, type (one or two words), encoding, emb, sub, uni, object, generation.
    const embedded = fonts.map((f) => f[f.length - 5]);
    assert.ok(fonts.length > 0);
    assert.deepEqual([...new Set(embedded)], ['yes'], 'every font is embedded');
    assert.ok(!fonts.some((f) => / Type 3 /.test(` ${f.join(' ')} `)), 'no Type 3 font (publishers refuse them)');
  });
