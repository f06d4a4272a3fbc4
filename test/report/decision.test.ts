import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { groupImported } from '../../src/analysis/group.js';
import { runImport } from '../../src/analysis/import.js';
import { writeArtefacts } from '../../src/analysis/write.js';
import { TAG_TASKONOMY, tagLongCsv } from '../grouping/fixtures/tag.js';
import { tempDir, writeTemp } from '../helpers/files.js';
import { assertLabelsClear, assertQuiet, count, launchChromium, openFile } from './chromium.js';

let browser: Browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

test("the page opens with the decision, the terminal's sentence; never-trained groups carry their mark in the decision, the chips and the table", async () => {
  // TAG's Taskonomy table as one seed; at 2 networks the selection needs {s, d, n, t}, which nobody trained
  const out = join(tempDir(), 'taskonomy');
  writeArtefacts(
    await runImport(writeTemp('taskonomy.csv', tagLongCsv(TAG_TASKONOMY)), {
      out,
      format: 'long',
      taskNames: TAG_TASKONOMY.tasks,
    }),
  );
  writeArtefacts(await groupImported(out, { budget: 2, bootstrap: 2 }));
  const { decision } = JSON.parse(readFileSync(join(out, 'grouping.json'), 'utf8'));
  assert.match(decision.headline, /^Train 2 networks: .*s, d, n and t together \(never trained\)/);

  const opened = await openFile(browser, join(out, 'index.html'));
  const { page } = opened;
  try {
    assert.equal(await page.locator('main > section').first().getAttribute('id'), 'section-decision');
    assert.equal(
      await page.locator('#section-decision p').first().innerText(),
      decision.headline,
      'the first words of the page are the decision',
    );
    assert.match(
      await page.locator('#section-decision .decision-untrained').innerText(),
      /^~ Never trained: s\+d\+n\+t; their losses are approximated from pairs\. .*--train-higher-order/,
    );
    assert.ok((await count(page, '#section-decision .decision-warning')) >= 1, 'one seed: the reliability warning');
    const top = async (selector: string): Promise<number> =>
      (await page.locator(selector).first().boundingBox())?.y ?? NaN;
    assert.ok(
      (await top('#section-decision')) < (await top('.analysis-facts .facts')),
      'the decision stands above the facts, the reliability and the commands',
    );
    assert.ok((await top('#section-decision')) < 400, 'and within the first screen');
    const row = page.locator('#view-grouping table.groups tbody tr', { hasText: /^2/ });
    const chips = await row.locator('.chip').allInnerTexts();
    assert.ok(chips.includes('~ s + d + n + t'), `chips: ${chips.join(', ')}`);
    assert.ok(chips.includes('n + k'), 'a trained pair is not marked');
    assert.match(
      await page.locator('#view-grouping table.groups caption').innerText(),
      /~ marks a group no network was trained for/,
    );
    assert.match(await page.locator('#view-grouping p.recommendation').innerText(), /~\{s, d, n, t\}/);
    await assertLabelsClear(page);
    assertQuiet(opened);
  } finally {
    await page.close();
  }
});
