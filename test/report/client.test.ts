/**
 * The page script is assembled from the section registry by source text, so a view whose helper is missing from it
 * would only fail in the browser. These tests find it in Node: every name a view's functions use must be one of the
 * functions the page inlines for that view, or a global of the page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { clientFunctions, clientScript, sectionFunctions } from '../../src/report/views/client.js';
import { SECTIONS } from '../../src/report/views/registry.js';
import type { ClientFunction, Section } from '../../src/report/views/section.js';

/** ECMAScript's own globals (a fresh context has no Node ones) and the DOM names the views use. */
const PAGE_GLOBALS = new Set([
  ...(runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]),
  'd3',
  'document',
  'window',
  'MouseEvent',
]);

/** The names a function's source reads without declaring them (declarations anywhere inside it count, whatever their block). */
function freeNames(source: string): Set<string> {
  const file = ts.createSourceFile('client.js', `(${source})`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const declared = new Set<string>();
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const isName = 'name' in parent && parent.name === node;
      if (
        isName &&
        (ts.isVariableDeclaration(parent) ||
          ts.isParameter(parent) ||
          ts.isFunctionDeclaration(parent) ||
          ts.isFunctionExpression(parent) ||
          ts.isBindingElement(parent))
      )
        declared.add(node.text);
      else if (
        !(
          isName &&
          (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent))
        ) &&
        !(ts.isBindingElement(parent) && parent.propertyName === node)
      )
        used.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return new Set([...used].filter((name) => !declared.has(name)));
}

/** "f uses g" for every name one of `functions` reads that neither they define nor the page has. */
function missingNames(functions: ClientFunction[]): string[] {
  const defined = new Set(functions.map((f) => f.name));
  return functions.flatMap((f) =>
    [...freeNames(f.toString())]
      .filter((name) => !defined.has(name) && !PAGE_GLOBALS.has(name))
      .map((name) => `${f.name} uses ${name}`),
  );
}

const sections = SECTIONS as readonly Section[];

test("every registered view's functions are in the page script: nothing it calls is missing", () => {
  for (const section of sections)
    assert.deepEqual(
      missingNames(sectionFunctions(section)),
      [],
      `section '${section.key}': add the missing functions to its helpers (or export them from common.ts)`,
    );
});

test('the check finds a helper left out of a section', () => {
  const grouping = sections.find((s) => s.key === 'grouping')!;
  const withoutHelpers = { ...grouping, helpers: [] } as Section;
  assert.deepEqual(missingNames(sectionFunctions(withoutHelpers)), [
    'drawGrouping uses drawBudget',
    'drawGrouping uses drawGroupingChecks',
  ]);
});

test('the page script defines each function once and its sections have distinct keys and files', () => {
  const names = clientFunctions().map((f) => f.name);
  assert.deepEqual(
    names.filter((name, k) => names.indexOf(name) !== k),
    [],
    'two inlined functions with one name: the later would replace the earlier',
  );
  const keys = sections.map((s) => s.key);
  assert.equal(new Set(keys).size, keys.length);
  const files = sections.flatMap((s) => (s.file === undefined ? [] : [s.file]));
  assert.equal(new Set(files).size, files.length);
});

test('the page script runs: with no view data it defines every function and draws nothing', () => {
  const logged: unknown[] = [];
  const document = { getElementById: (id: string) => (id === 'report-data' ? { textContent: '{}' } : null) };
  runInNewContext(clientScript('report-data'), {
    document,
    console: { error: (...args: unknown[]) => logged.push(args) },
  });
  assert.deepEqual(logged, []);
});
