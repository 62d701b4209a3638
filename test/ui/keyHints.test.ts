import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyHints, keyLabel } from '../../ui/model/keyHints.js';
import { DEFAULT_KEYS, keyBindingsFrom } from '../../ui/model/keys.js';

test('the default hints: each action by its shortest binding, ctrl chords as ^', () => {
  assert.equal(keyHints(DEFAULT_KEYS), 'q quit · tab pane · ? keys · / search · ^f filter · s size · ^o sort · ^b attrs · w waste · f findings · ^l/^a compare · ^a/^r/^m/^u hide · space fold');
  assert.equal(keyLabel('ctrl+space'), '^space');
});

test('a rebinding shows in the hints; an action bound to nothing drops out of its group or the line', () => {
  const hints = keyHints(keyBindingsFrom({ quit: 'x', hideRemoved: [], findings: [], collapse: ['ctrl+k', 'enter'] }));
  assert.match(hints, /^x quit · /);
  assert.match(hints, / · \^a\/\^m\/\^u hide · \^k fold$/);
  assert.doesNotMatch(hints, /findings/);
});
