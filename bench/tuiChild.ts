// The browser's figures (issue 17, issue 13 target 5), in a process of their own, React's production build as the CLI
// runs it (NODE_ENV=production; bench/tui.ts starts it). The browser's modules load while the archive is read, as
// the CLI does. A frame is the whole screen through Ink's renderer (React reconcile, Yoga layout, output) with
// renderToString; keys go in as the bytes a terminal sends, through the same key decoding as the App.
import { createReadStream } from 'node:fs';
import React from 'react';
import { renderToString } from 'ink';
import { loadImage } from '../src/archive/loadImage.js';
import { gateConfigFrom } from '../src/ci/gateConfig.js';
import type { Image } from '../src/model/imageTypes.js';
import { planReview, review } from '../src/review/review.js';
import { chunksOf, dockerArchive, type TarItem } from '../test/helpers/buildArchive.js';
import type { Browser as BrowserClass } from '../ui/model/browser.js';
import type { InkKey } from '../ui/model/keys.js';

const ui = Promise.all([import('../ui/model/browser.js'), import('../ui/components/App.js'), import('../ui/model/keys.js'), import('../ui/idle.js')]);
const path = process.argv[2]!;

let lastByte = 0;
async function* timed(source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  for await (const chunk of source) {
    lastByte = performance.now();
    yield chunk;
  }
}

const plan = planReview({ gate: gateConfigFrom({}, {}), today: new Date().toISOString().slice(0, 10) });
const image = await loadImage(timed(createReadStream(path, { highWaterMark: 1 << 20 })), path, { defaultPlatform: 'linux/amd64' });
const [{ Browser }, { App }, { splitKeys }, { idleWork }] = await ui;
const frame = (b: BrowserClass) => renderToString(React.createElement(App, { browser: b }), { columns: 160 });
const open = (img: Image) => {
  const r = review(img, plan);
  return new Browser({ image: img, analysis: r.analysis, checks: r.gate.checks, baseLayers: r.base.count });
};
// as the CLI opens it: on the image alone, the review after the first frame, then the frame with the review
const browser = new Browser({ image });
frame(browser);
const firstFrameMs = performance.now() - lastByte;
const r = review(image, plan);
browser.reviewed({ analysis: r.analysis, checks: r.gate.checks, baseLayers: r.base.count });
frame(browser);
const reviewedMs = performance.now() - lastByte;

// what Ink tells the App with a read: escape sequences named, plain bytes as one string (decoded byte by byte)
const NO_KEY: InkKey = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, return: false, escape: false, tab: false, backspace: false, delete: false, ctrl: false, meta: false, shift: false };
const inkKey = (bytes: string): InkKey => (bytes === '\u001b[6~' ? { ...NO_KEY, pageDown: true } : bytes === '\u001b' ? { ...NO_KEY, escape: true, meta: true } : NO_KEY);
/** One read: its keys through the browser, then one frame if anything changed. */
const read = (b: BrowserClass, bytes: string) => {
  let changed = false;
  for (const k of splitKeys(bytes, inkKey(bytes))) changed = b.press(k) || changed;
  if (changed) frame(b);
};
const timeOf = (f: () => void) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

// a session: walk the layers (each a first visit), go to the files, scroll, page, hide, filter, fold, sort, waste;
// a key every GAP_MS, as a quick typist or a held key's repeat sends them, the browser's idle work running between
// as on a terminal (runTui). A key's time is its read and frame plus, when it fell due during an idle step, the rest
// of that step (the timer's own lateness, the machine's other processes waking this one, is left out).
const GAP_MS = 50;
const session = [...'jjjjkk', '\t', ...'j'.repeat(60), ...Array<string>(20).fill('\u001b[6~'), '\u0015', '\u0015', '\u000f', '\u000f', 's', ' ', ' ', '\u0000', '\u0000', '/', 'm', '1', '\u001b', '\t', ...'jkjkjkjk', '\u0001', '\u000c', 'w'];
const steps: Array<[number, number]> = [];
const stopIdle = idleWork({
  precompute: () => {
    const t = performance.now();
    const more = browser.precompute();
    steps.push([t, performance.now()]);
    return more;
  },
});
const single: number[] = [];
for (const k of session) {
  const due = performance.now() + GAP_MS;
  await new Promise((r) => setTimeout(r, GAP_MS));
  const step = steps.find(([from, to]) => from <= due && due < to);
  single.push(timeOf(() => read(browser, k)) + (step ? step[1] - due : 0));
}
stopIdle();
const idleSteps = steps.map(([from, to]) => to - from);

// 50-key bursts in one read (keys that queued up while a frame was drawn): per key, and the state against the same
// keys one read each on a second browser, so a lost or reordered key shows
const burstKeys = ['jjjjjkkkkk', '\t', 'j'.repeat(25), '\u0015', 'kkkk', '\u000f', 'jjjj', '\u0002', '\t', 'jk'];
const burst = burstKeys.join('');
const fast = open(image);
const slow = open(image);
const perKey: number[] = [];
for (let i = 0; i < 10; i++) perKey.push(timeOf(() => read(fast, burst)) / burst.length);
for (let i = 0; i < 10; i++) for (const ch of burst) read(slow, ch);
const fields = (b: BrowserClass) => JSON.stringify({ ...b.state, hide: [...b.state.hide], collapsed: [...b.state.collapsed] });
const keysLost = fields(fast) !== fields(slow);

// a path with 20 layers of history: /etc/app.conf rewritten by each of 20 layers of 500 files each
const layers = Array.from({ length: 20 }, (_, i) => ({
  items: [{ name: 'etc/', type: 'directory' }, { name: 'etc/app.conf', content: `version ${i}\n` }, ...Array.from({ length: 500 }, (_, j): TarItem => ({ name: `srv/l${i}/f${j}`, content: `${i}.${j}\n` }))] as TarItem[],
}));
const deep = await loadImage(chunksOf(await dockerArchive([{ tag: 'bench/history:20', layers }])), 'bench/history:20', { defaultPlatform: 'linux/amd64' });
const h = open(deep);
for (const k of ['\t', '/', ...'app\\.conf', '\r', 'j']) read(h, k);
const historyOpen: number[] = [];
for (let i = 0; i < 20; i++) {
  historyOpen.push(timeOf(() => read(h, 'i')));
  read(h, '\u001b');
}
read(h, 'i');
const historyRows = h.state.overlay === 'history' ? h.overlayItems().length : 0;

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
process.stdout.write(
  JSON.stringify({
    paths: browser.tree.nodes.length,
    firstFrameMs,
    reviewedMs,
    single: { p50: q(single, 0.5), p95: q(single, 0.95), max: q(single, 1), keys: single.length, gapMs: GAP_MS },
    idle: { steps: idleSteps.length, max: idleSteps.length > 0 ? q(idleSteps, 1) : 0 },
    burst: { p50: q(perKey, 0.5), p95: q(perKey, 0.95), bursts: perKey.length, keys: burst.length, keysLost },
    history: { p50: q(historyOpen, 0.5), max: q(historyOpen, 1), rows: historyRows },
  }) + '\n',
);
