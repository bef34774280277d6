/**
 * The layers of ARCHITECTURE.md, held against the code: every import of src/ goes to the same
 * layer or one below, and neither folders nor files import each other in a circle.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sourceFiles } from './support/source-files.ts';

const src = path.join(import.meta.dirname, '../src');

/** Top to bottom. A unit is a folder of src/ or a file directly in it. */
export const LAYERS: readonly (readonly string[])[] = [
  ['main.ts', 'cli.ts', 'cli', 'bot', 'config.ts', 'setting-reader.ts'],
  ['intake', 'metrics', 'web'],
  ['adapters', 'create', 'stopping.ts'],
  ['http'],
  ['tracker'],
  ['chat'],
  ['store', 'media'],
  ['watch'],
  ['schedule'],
  ['models', 'sora'],
  [
    'clock.ts',
    'log.ts',
    'log-error.ts',
    'log-scrub.ts',
    'time-format.ts',
    'per-key-queue.ts',
    'text-cut.ts',
  ],
];

/** Every relative import and re-export of a file inside src/, as paths from src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g);
  return [...found]
    .map((match) => path.relative(src, path.resolve(path.dirname(file), match[1] as string)))
    .filter((target) => !target.startsWith('..')); // package.json, read for the version
}

const unitOf = (relative: string) => relative.split(path.sep)[0] as string;

function rankOf(unit: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

/** The first cycle found in a graph, as its nodes in order, or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

const files = sourceFiles(src).map((file) => path.relative(src, file));
const fileGraph = new Map(
  files.map((file) => [file, new Set(importsOf(path.join(src, file)))] as const),
);

describe('layers', () => {
  it('places every folder and file of src/ in a layer', () => {
    const units = new Set(files.map(unitOf));
    const unplaced = [...units].filter((unit) => rankOf(unit) === -1);
    assert.deepEqual(unplaced, [], 'add them to ARCHITECTURE.md and LAYERS');
  });

  it('imports only from the same layer or the ones below', () => {
    const upward: string[] = [];
    for (const [file, imports] of fileGraph) {
      for (const target of imports) {
        const from = rankOf(unitOf(file));
        const to = rankOf(unitOf(target));
        if (to < from) upward.push(`${file} -> ${target}`);
      }
    }
    assert.deepEqual(upward, []);
  });

  it('has no folders that import each other, directly or round about', () => {
    const folderGraph = new Map<string, Set<string>>();
    for (const [file, imports] of fileGraph) {
      const from = unitOf(file);
      const edges = folderGraph.get(from) ?? new Set<string>();
      for (const target of imports) if (unitOf(target) !== from) edges.add(unitOf(target));
      folderGraph.set(from, edges);
    }
    assert.equal(findCycle(folderGraph)?.join(' -> '), undefined);
  });

  it('has no files that import each other, directly or round about', () => {
    assert.equal(findCycle(fileGraph)?.join(' -> '), undefined);
  });

  it('finds an upward import and a cycle when there is one', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    assert.deepEqual(findCycle(graph), ['a', 'b', 'c', 'a']);
    assert.ok(rankOf('tracker') > rankOf('adapters'));
    assert.ok(importsOf(path.join(src, 'main.ts')).includes('config.ts'));
  });
});
