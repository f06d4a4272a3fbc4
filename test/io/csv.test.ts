import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvText, spreadsheetSafe } from '../../src/io/csv.js';

test("a number's cell is String(number)'s text, whatever its size, sign or kind", () => {
  const numbers = [0, -0, 1, -1, 0.1, 1 / 3, -2 / 3, 1e21, 1e-7, 123456789012345680000, 5e-324, Number.MAX_VALUE];
  const others = [NaN, Infinity, -Infinity];
  for (const value of [
    ...numbers,
    ...others,
    ...Array.from({ length: 1000 }, (_, k) => Math.sin(k) * 10 ** ((k % 40) - 20)),
  ])
    assert.equal(spreadsheetSafe(value), String(value), `${value}`);
  assert.equal(
    csvText([
      ['a', 'b'],
      [-0.5, NaN],
    ]),
    'a,b\n-0.5,NaN\n',
  );
});

test('text a spreadsheet would run is shown as text; a decimal number in text is left as it is', () => {
  assert.equal(spreadsheetSafe('=HYPERLINK("x")'), `'=HYPERLINK("x")`);
  assert.equal(spreadsheetSafe('-0.5'), '-0.5');
  assert.equal(spreadsheetSafe(undefined), '');
});
