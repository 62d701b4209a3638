import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { loadBrowserSettings } from '../../src/cli/browserSettings.js';
import { Browser } from '../../ui/model/browser.js';
import type { KeyBindings } from '../../ui/model/keys.js';
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../ui/components/App.js';
import { renderBrowser, tick, until } from '../helpers/inkApp.js';
import { DIVE_FIXTURE, loadFile } from '../helpers/shared.js';

/** The bindings from a fathom config in `dir`, with no dive config (a HOME without one, no XDG variables). */
const loadKeyBindings = async (dir: string) => (await loadBrowserSettings({ cwd: dir, env: {}, home: dir })).keys;

const image = await loadFile(DIVE_FIXTURE);
const analysis = analyzeImage(image);

async function app(keys?: KeyBindings) {
  const browser = new Browser({ image, analysis, checks: [], baseLayers: 1 }, keys);
  const { press, frame, unmount } = await renderBrowser(browser);
  return { browser, r: { unmount }, press, frame };
}

test('first frame: layers with base marks, layer and image details, the tree of layer 0', async () => {
  const { r, frame } = await app();
  const f = frame();
  assert.match(f, /B {2}0 +1\.15 MB {2}ADD file:/);
  assert.match(f, /Efficiency +98\.4421 %/);
  assert.match(f, /Reclaimable 32 kB/);
  assert.match(f, /Layer 0 \(everything added\)/);
  assert.match(f, /A +1\.15 MB {2}bin\//);
  assert.match(f, /q quit · tab pane · \? keys · \/ search · \^f filter · s size · \^o sort/);
  r.unmount();
});

test('opened before its review, the browser draws the image alone (image details "analysing…"), then the review when it is done', async () => {
  const browser = new Browser({ image });
  let reviewedAt = -1;
  const frames: string[] = [];
  const r = render(<App browser={browser} review={() => {
    frames.push(r.lastFrame() ?? '');
    reviewedAt = frames.length;
    return { analysis, checks: [], baseLayers: 1 };
  }} />);
  // the frame on screen when the review starts: the tree and the layers, the image details still to come
  await until(() => reviewedAt > 0);
  assert.match(frames[0]!, /A +1\.15 MB {2}bin\//);
  assert.match(frames[0]!, /analysing… \(efficiency, waste, findings\)/);
  assert.doesNotMatch(frames[0]!, /Efficiency|B {2}0 /);
  await until(() => /Efficiency/.test(r.lastFrame() ?? ''));
  const f = r.lastFrame() ?? '';
  assert.match(f, /Efficiency +98\.4421 %/);
  assert.match(f, /B {2}0 +1\.15 MB {2}ADD file:/);
  assert.doesNotMatch(f, /analysing/);
  r.unmount();
});

test('keys typed together in one read are each handled: jjjjjjjjj selects layer 9', async () => {
  const { r, press, frame, browser } = await app();
  await press('jjjjjjjjj');
  assert.equal(browser.state.layer, 9);
  assert.match(frame(), /Layer 9 vs layer 8/);
  r.unmount();
});

test('tab then ctrl+u hides unmodified: only the removed example tree remains at layer 9', async () => {
  const { r, press, frame } = await app();
  await press('jjjjjjjjj');
  await press('\t');
  await press('\u0015'); // ctrl+u
  const f = frame();
  assert.match(f, /M +12\.8 kB {2}root\//);
  assert.match(f, /R +12\.8 kB {4}example\//);
  assert.match(f, /R +6\.41 kB {6}somefile1\.txt/);
  assert.doesNotMatch(f, /bin\//);
  r.unmount();
});

test('ctrl+f filters live as you type, esc clears; ctrl+b shows attributes; ? shows every key', async () => {
  const { r, press, frame } = await app();
  await press('\t');
  await press('\u0006'); // ctrl+f
  await press('busybox');
  assert.match(frame(), /Filter \(regex\): busybox/);
  assert.match(frame(), /busybox/);
  assert.doesNotMatch(frame(), /getconf/);
  await press('\u001b');
  await tick();
  await press('\u0002'); // ctrl+b
  assert.match(frame(), /-rwxr-xr-x {2}0:0/);
  await press('?');
  assert.match(frame(), /Keys/);
  assert.match(frame(), /ctrl\+space +collapse or expand all/);
  r.unmount();
});

test('q quits', async () => {
  const { r, press, browser } = await app();
  await press('q');
  assert.equal(browser.state.quit, true);
  r.unmount();
});

test('the key hints follow the bindings: quit rebound to x in .fathomrc.yaml reads "x quit", and x quits where q no longer does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-hints-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"k"}');
  writeFileSync(join(dir, '.fathomrc.yaml'), 'keys:\n  quit: x\n  toggleFocus: [ctrl+t, tab]\n');
  const { r, press, frame, browser } = await app(await loadKeyBindings(dir));
  assert.match(frame(), /x quit · \^t pane · \? keys/);
  assert.doesNotMatch(frame(), /q quit/);
  await press('q');
  assert.equal(browser.state.quit, false);
  await press('x');
  assert.equal(browser.state.quit, true);
  r.unmount();
});
