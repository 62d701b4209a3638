// TUI figures on the bench archive's tree: time from the end of analysis to the first frame, and keypress-to-frame
// latency (p50/p95): the key through the browser's view model, then the whole screen through Ink's renderer (React
// reconcile, Yoga layout, output) with renderToString — React's production build, as the CLI runs it.
// Plain JavaScript over dist/; run with NODE_ENV=production (bench/run.ts does).
import { createReadStream } from 'node:fs';
import React from 'react';
import { renderToString } from 'ink';
import { analyzeImage } from '../dist/src/analysis/analyzeImage.js';
import { loadImage } from '../dist/src/archive/loadImage.js';
import { Browser } from '../dist/ui/model/browser.js';
import { App } from '../dist/ui/components/App.js';

const path = process.argv[2];
const image = await loadImage(createReadStream(path, { highWaterMark: 1 << 20 }), path, { defaultPlatform: 'linux/amd64' });
const analysis = analyzeImage(image);
const frame = (b) => renderToString(React.createElement(App, { browser: b }), { columns: 160 });

const t0 = performance.now();
const browser = new Browser({ image, analysis, checks: [], baseLayers: 1 });
frame(browser);
const firstFrame = performance.now() - t0;

const k = (input, extra = {}) => ({ input, ctrl: false, meta: false, shift: false, ...extra });
const named = (name) => ({ input: '', name, ctrl: false, meta: false, shift: false });
// a session: walk the layers (each a new tree), go to the files, scroll, page, hide, filter, fold, sort, explain waste
const keys = [];
for (let i = 0; i < 4; i++) keys.push(k('j'));
keys.push(k('k'), k('k'), named('tab'));
for (let i = 0; i < 60; i++) keys.push(k('j'));
for (let i = 0; i < 20; i++) keys.push(named('pagedown'));
keys.push(k('u', { ctrl: true }), k('u', { ctrl: true }), k('o', { ctrl: true }), k('o', { ctrl: true }), k('s'), named('space'), named('space'));
keys.push(k(' ', { name: 'space', ctrl: true }), k(' ', { name: 'space', ctrl: true }), k('/'), k('m'), k('1'), named('escape'), named('tab'));
for (let i = 0; i < 4; i++) keys.push(k('j'), k('k'));
keys.push(k('a', { ctrl: true }), k('l', { ctrl: true }), k('w'));
const times = [];
for (const key of keys) {
  const start = performance.now();
  if (browser.press(key)) frame(browser);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
process.stdout.write(JSON.stringify({ paths: browser.tree.nodes.length, firstFrameMs: firstFrame, p50Ms: q(0.5), p95Ms: q(0.95), maxMs: times.at(-1), keys: times.length }) + '\n');
