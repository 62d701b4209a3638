import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { render } from 'ink-testing-library';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { App } from '../../ui/components/App.js';
import { Browser } from '../../ui/model/browser.js';
import { DIVE_FIXTURE, loadFile } from '../helpers/shared.js';

const image = await loadFile(DIVE_FIXTURE);
const analysis = analyzeImage(image);
/** Ink handles input on the next macrotask: wait one after render and after each write. */
const tick = () => new Promise((r) => setTimeout(r, 20));

async function app() {
  const browser = new Browser({ image, analysis, checks: [], baseLayers: 1 });
  const r = render(<App browser={browser} />);
  await tick();
  const press = async (s: string) => {
    r.stdin.write(s);
    await tick();
  };
  return { browser, r, press, frame: () => r.lastFrame() ?? '' };
}

test('first frame: layers with base marks, layer and image details, the tree of layer 0', async () => {
  const { r, frame } = await app();
  const f = frame();
  assert.match(f, /B {2}0 +1\.15 MB {2}ADD file:/);
  assert.match(f, /Efficiency +98\.4421 %/);
  assert.match(f, /Reclaimable 32 kB/);
  assert.match(f, /Layer 0 \(everything added\)/);
  assert.match(f, /A +1\.15 MB {2}bin\//);
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

test('/ filters live as you type, esc clears; ctrl+b shows attributes; ? shows every key', async () => {
  const { r, press, frame } = await app();
  await press('\t');
  await press('/');
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
