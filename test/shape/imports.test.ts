import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The shape of the sources: every import points down the data flow and no module imports itself back through
 * others. The stages, lowest first (README.md, Layout, says the same in words). A module may import from its own
 * stage and from any stage below it, never from one above.
 */
const STAGES = [
  'src/errors', // InputError, ConfigError: what every stage throws
  'src/tar', // the tar parser
  'src/model', // entries as columns, paths, kinds, ids; the Image, stacking and assembly from a description
  'src/layer', // one layer blob → its entries
  'src/archive', // one archive → a description of the chosen image → the Image
  'src/source', // what the user typed → a byte stream
  'src/dockerfile', // the Dockerfile the user gave
  'src/analysis', // metrics, the merged tree
  'rules', // image rules
  'src/ci', // the gate
  'src/report', // reports
  'src/review', // one image's whole review, for every command
  'src/diff', // two reviews compared: layers, files, findings, packages; the diff's gate and reports
  'src/strip', // the smallest image that still starts: closure, profiles, the plan and the archive it writes
  'ui/model', // the browser's view model
  'ui/components', // Ink components over it
  'ui', // the browser's entry point
  'src/cli', // the process: arguments, terminal, exit codes
];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCE_DIRS = ['src', 'ui', 'rules'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The stage a file belongs to: the longest stage path it is in, or the file itself (`src/errors.ts`). */
function stageOf(file: string): string | undefined {
  const rel = relative(ROOT, file).replace(/\\/g, '/').replace(/\.tsx?$/, '');
  let best: string | undefined;
  for (const s of STAGES) if ((rel === s || rel.startsWith(s + '/')) && (!best || s.length > best.length)) best = s;
  return best;
}

/** Relative imports of a file (static, type-only, re-exports and dynamic), resolved to source files. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const out: string[] = [];
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    // the project's own package.json is data the build takes in (fathom's address), not a stage
    if (resolve(dirname(file), fileName) === join(ROOT, 'package.json')) continue;
    const base = resolve(dirname(file), fileName).replace(/\.js$/, '');
    const found = ['.ts', '.tsx'].map((ext) => base + ext).find((p) => existsSync(p));
    assert.ok(found, `${relative(ROOT, file)} imports ${fileName}, which is not a source file`);
    out.push(found);
  }
  return out;
}

const files = SOURCE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d)));
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => relative(ROOT, f);

test('every source file belongs to a stage of the data flow', () => {
  const unplaced = files.filter((f) => stageOf(f) === undefined).map(rel);
  assert.deepEqual(unplaced, [], 'add the new folder to STAGES (and to the README) where it sits in the data flow');
});

test('no module imports from a stage above its own', () => {
  const upward: string[] = [];
  for (const [file, deps] of graph) {
    const from = STAGES.indexOf(stageOf(file)!);
    for (const dep of deps) {
      const to = STAGES.indexOf(stageOf(dep)!);
      if (to > from) upward.push(`${rel(file)} (${STAGES[from]}) imports ${rel(dep)} (${STAGES[to]})`);
    }
  }
  assert.deepEqual(upward, []);
});

test('there is no import cycle, type-only imports included', () => {
  // Tarjan's strongly connected components, iteratively: a component of more than one file is a cycle
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { file: string; dep: number }[] = [{ file: start, dep: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const deps = graph.get(top.file)!;
      if (top.dep < deps.length) {
        const d = deps[top.dep++]!;
        if (!index.has(d)) {
          index.set(d, next);
          low.set(d, next++);
          stack.push(d);
          onStack.add(d);
          work.push({ file: d, dep: 0 });
        } else if (onStack.has(d)) low.set(top.file, Math.min(low.get(top.file)!, index.get(d)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.file;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.file)!));
      }
      if (low.get(top.file) === index.get(top.file)) {
        const component: string[] = [];
        let f: string;
        do {
          f = stack.pop()!;
          onStack.delete(f);
          component.push(rel(f));
        } while (f !== top.file);
        if (component.length > 1 || graph.get(top.file)!.includes(top.file)) cycles.push(component.sort());
      }
    }
  }
  assert.deepEqual(cycles, []);
});
