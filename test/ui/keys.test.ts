import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBrowserSettings } from '../../src/cli/browserSettings.js';
import { DEFAULT_KEYS, keyBindingsFrom, matches, splitKeys } from '../../ui/model/keys.js';

/** The bindings from a fathom config in `dir`, with no dive config (a HOME without one, no XDG variables). */
const loadKeyBindings = async (dir: string) => (await loadBrowserSettings({ cwd: dir, env: {}, home: dir })).keys;

const noKey = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, return: false, escape: false, tab: false, backspace: false, delete: false, ctrl: false, meta: false, shift: false };

test('several keys in one read are split; ctrl+space arrives as NUL; space is named', () => {
  assert.deepEqual(splitKeys('jjk', noKey).map((k) => k.input), ['j', 'j', 'k']);
  assert.deepEqual(splitKeys('\u0000', noKey), [{ input: ' ', name: 'space', ctrl: true, meta: false, shift: false }]);
  assert.equal(splitKeys(' ', noKey)[0]!.name, 'space');
  assert.ok(matches(DEFAULT_KEYS, 'collapseAll', splitKeys('\u0000', noKey)[0]!));
  assert.ok(matches(DEFAULT_KEYS, 'hideModified', splitKeys('', { ...noKey, return: true })[0]!), 'ctrl+m is Enter on a terminal');
});

test('w and W are different keys; ctrl chords ignore case', () => {
  const [w] = splitKeys('w', noKey);
  const [W] = splitKeys('W', noKey);
  assert.ok(matches(DEFAULT_KEYS, 'waste', w!) && !matches(DEFAULT_KEYS, 'wasteList', w!));
  assert.ok(matches(DEFAULT_KEYS, 'wasteList', W!));
  assert.ok(matches(DEFAULT_KEYS, 'hideAdded', splitKeys('A', { ...noKey, ctrl: true })[0]!));
});

test('keys from a fathom config (.fathomrc.yaml) rebind actions; unknown actions are errors naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-keys-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"k"}');
  writeFileSync(join(dir, '.fathomrc.yaml'), 'keys:\n  quit: [x, ctrl+c]\n  down: n\n');
  const keys = await loadKeyBindings(dir);
  assert.deepEqual(keys.quit, ['x', 'ctrl+c']);
  assert.deepEqual(keys.down, ['n']);
  assert.deepEqual(keys.up, DEFAULT_KEYS.up);
  writeFileSync(join(dir, '.fathomrc.yaml'), 'keys:\n  explode: x\n');
  await assert.rejects(loadKeyBindings(dir), /\.fathomrc\.yaml: keys\.explode: unknown action/);
  assert.throws(() => keyBindingsFrom({ nope: 'x' }), /unknown action/);
});
