import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGateConfig } from '../../src/ci/gateConfig.js';

// The search for a .dive-ci looks at the files itself and loads cosmiconfig only when one may be there (start-up,
// issue 13): these pin that it finds what cosmiconfig's 'project' search finds, and nothing else.

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-config-search-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const lowest = async (cwd: string) => {
  const c = await loadGateConfig({ cwd, overrides: {} });
  return { value: c.lowestEfficiency.enabled ? c.lowestEfficiency.value : undefined, file: c.file };
};

test('a .dive-ci in the directory or a parent below the project root is found', async () => {
  const dir = tree({ 'package.json': '{"name":"p"}', '.dive-ci.yml': 'rules:\n  lowestEfficiency: 0.5\n', 'a/b/keep': '' });
  assert.deepEqual(await lowest(join(dir, 'a', 'b')), { value: 0.5, file: join(dir, '.dive-ci.yml') });
});

test('the search stops at the first directory holding a package.json (or package.yaml)', async () => {
  const dir = tree({ '.dive-ci': 'rules:\n  lowestEfficiency: 0.5\n', 'app/package.json': '{"name":"app"}', 'yam/package.yaml': 'name: y\n', 'app/src/keep': '', 'yam/src/keep': '' });
  assert.deepEqual(await lowest(join(dir, 'app', 'src')), { value: 0.9, file: undefined });
  assert.deepEqual(await lowest(join(dir, 'yam', 'src')), { value: 0.9, file: undefined });
  // without a project root on the way, the one above is found
  assert.deepEqual(await lowest(join(dir)), { value: 0.5, file: join(dir, '.dive-ci') });
});

test('a "dive-ci" key in package.json is read; a package.json without one ends the search with the defaults', async () => {
  const keyed = tree({ 'package.json': '{"name":"p","dive-ci":{"rules":{"lowestEfficiency":0.7}}}' });
  assert.deepEqual(await lowest(keyed), { value: 0.7, file: join(keyed, 'package.json') });
  const plain = tree({ 'package.json': '{"name":"p"}', 'sub/keep': '' });
  assert.deepEqual(await lowest(join(plain, 'sub')), { value: 0.9, file: undefined });
});

test('a package.json that does not parse is reported, as before', async () => {
  const dir = tree({ 'package.json': '{"name": ' });
  await assert.rejects(loadGateConfig({ cwd: dir, overrides: {} }), /cannot read the CI config/);
});
