import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The layer reader is the hot path and the code most often read for it: its functions stay short enough to read. */
const LIMITS = [{ dir: 'src/layer', lines: 60 }];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function longFunctions(dir: string, limit: number): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir)).filter((n) => n.endsWith('.ts'))) {
    const file = ts.createSourceFile(name, readFileSync(join(ROOT, dir, name), 'utf8'), ts.ScriptTarget.Latest, true);
    const line = (pos: number) => file.getLineAndCharacterOfPosition(pos).line + 1;
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const first = line(node.getStart(file));
        const lines = line(node.getEnd()) - first + 1;
        if (lines > limit) out.push(`${dir}/${name}:${first} is ${lines} lines`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return out;
}

for (const { dir, lines } of LIMITS) {
  test(`no function in ${dir} is over ${lines} lines`, () => {
    assert.deepEqual(longFunctions(dir, lines), []);
  });
}
