import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDecimal } from '../../src/data/numbers.js';

// parseDecimal reads short plain decimals by hand (an exact integer over an exact power of ten): it must give the
// very double Number() gives, -0 included, and leave every other text to the regular expression.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const expected = (text: string): number | undefined => (DECIMAL.test(text.trim()) ? Number(text.trim()) : undefined);

test('parseDecimal gives Number()’s double for every decimal text, and undefined for anything else', () => {
  const edge = [
    ...['0', '-0', '+0', '-0.0', '0.', '.5', '-.5', '+.5', '5.', '00012.5000', '-0.170975', '0.004168', '1', '-1'],
    ...['123456789012345', '1234567890123456', '0.123456789012345', '0.1234567890123456', '9007199254740993'],
    ...['999999999999999', '-999999999999999.', '.000000000000001', '0.0000000000000000000001'],
    ...['1e5', '-2.5E-3', '1e999', ' 1.5', '1.5 ', '\t-2', '', '.', '-', '+', '1.2.3', '--1', '1-', '0x1F', 'NaN'],
    ...['Infinity', '1_000', '١', '1,5', 'abc', '+-1', '1e', '.e1'],
  ];
  let state = 7;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');
  const drawn = Array.from({ length: 20_000 }, () => {
    const sign = ['', '-', '+'][Math.floor(random() * 3)];
    const whole = digits(Math.floor(random() * 9));
    const fraction = digits(Math.floor(random() * 12));
    return random() < 0.7 ? `${sign}${whole}.${fraction}` : `${sign}${whole}${fraction}`;
  });
  for (const text of [...edge, ...drawn]) {
    const got = parseDecimal(text);
    const want = expected(text);
    assert.ok(Object.is(got, want), `${JSON.stringify(text)}: ${got} against Number()'s ${want}`);
  }
});
