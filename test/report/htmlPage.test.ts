import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { dockerArchive, type TarItem } from '../helpers/buildArchive.js';
import { launchChromium, openReport, type Browser } from '../helpers/chromium.js';
import { runCli } from '../helpers/runCli.js';
import { DIVE_FIXTURE, IMAGES, expectedTable } from '../helpers/shared.js';

/**
 * The HTML report in a real browser (Debian's chromium, headless): what is painted must be the image's bytes, the
 * page must make no request, and the map must be usable with the mouse, the keyboard and the findings' links.
 * FATHOM_SCREENSHOTS=DIR keeps the screenshots (docs/report.png is one of them).
 */
const dir = mkdtempSync(join(tmpdir(), 'fathom-html-'));
const shots = process.env['FATHOM_SCREENSHOTS'] ?? join(dir, 'shots');
mkdirSync(shots, { recursive: true });
let browser: Browser;

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const WASTE = join(IMAGES, 'corpus-rules', 'docker-engine', 'waste-tiny.tar');
const WASTE_DOCKERFILE = join(IMAGES, 'corpus-rules', 'dockerfiles', 'waste-tiny.Dockerfile');
const SETUID = join(IMAGES, 'corpus-rules', 'docker-engine', 'setuid-tiny.tar');

function report(archive: string, ...extra: string[]): string {
  const file = join(dir, `${basename(archive, '.tar')}-${Math.random().toString(36).slice(2, 8)}.html`);
  const r = runCli([archive, '--report', `html=${file}`, ...extra]);
  assert.equal(r.status, 0, r.stderr);
  return file;
}

interface Rect {
  node: number;
  x: number;
  y: number;
  w: number;
  h: number;
  value: number;
  beneath?: boolean;
}
interface PageState {
  view: string;
  root: string;
  selected: string | null;
  selectedNode: number;
}
const rects = (page: Page) => page.evaluate<Rect[]>('window.fathomReport.rects()');
const mapSize = (page: Page) => page.evaluate<{ width: number; height: number }>('window.fathomReport.size()');
const state = (page: Page) => page.evaluate<PageState>('window.fathomReport.state()');

/**
 * The page navigates through location.hash, and hashchange fires as a task of its own after the click or key that
 * caused it: wait (up to 5 s) until the state shows `root`, then assert it, so a slow machine is not a failure.
 */
async function expectRoot(page: Page, root: string): Promise<void> {
  await page.waitForFunction(`window.fathomReport.state().root === ${JSON.stringify(root)}`, undefined, { timeout: 5000 }).catch(() => undefined);
  assert.equal((await state(page)).root, root);
}

/** The same wait for a selection made through a link. */
async function settledOn(page: Page, selected: string): Promise<PageState> {
  await page.waitForFunction(`window.fathomReport.state().selected === ${JSON.stringify(selected)}`, undefined, { timeout: 5000 }).catch(() => undefined);
  return state(page);
}

/** Every painted rectangle's area is its bytes times one factor (no padding, no rounding); they add up to `total`. */
async function assertProportional(page: Page, expected: number | undefined, what: string): Promise<void> {
  const rs = await rects(page);
  const { width, height } = await mapSize(page);
  const total = rs.reduce((s, r) => s + r.value, 0);
  if (expected !== undefined) assert.equal(total, expected, `${what}: painted bytes`);
  const k = (width * height) / total;
  let area = 0;
  for (const r of rs) {
    if (r.beneath) continue;
    area += r.w * r.h;
    assert.ok(Math.abs(r.w * r.h - r.value * k) <= 1e-6 * width * height + 1e-3, `${what}: node ${r.node} is ${r.w * r.h} px² for ${r.value} bytes (${r.value * k} expected)`);
  }
  if (!rs.some((r) => r.beneath)) assert.ok(Math.abs(area - width * height) < 1e-3 * width * height, `${what}: the rectangles fill the map`);
  // the keyboard's buttons are DOM boxes over the same rectangles: the browser's own layout says the same
  const boxes = await page.$$eval('.map-button', (els) => els.map((e) => ({ w: e.getBoundingClientRect().width, h: e.getBoundingClientRect().height, bytes: Number(e.getAttribute('data-bytes')) })));
  for (const b of boxes) assert.ok(Math.abs(b.w * b.h - b.bytes * k) <= 2 * (b.w + b.h) + 1, `${what}: a button of ${b.w}x${b.h} for ${b.bytes} bytes`);
}

test('html page: every shared image opens with no console error and no request, and the map is its visible bytes', async () => {
  const rows = expectedTable();
  const archives: Array<{ path: string; visible: number; extra: string[] }> = [];
  for (const row of rows) {
    const layout = row.layouts[0]!;
    const path = layout === 'dive-fixtures' ? join(IMAGES, 'dive-fixtures', row.image) : join(IMAGES, 'corpus', layout, row.image);
    archives.push({ path, visible: row.sizeBytes - row.reclaimableBytes, extra: row.image.startsWith('test-oci') ? ['--platform', 'linux/arm64'] : [] });
  }
  assert.ok(archives.length >= 10 && archives.some((a) => a.path === DIVE_FIXTURE));
  for (const a of archives) {
    const r = await openReport(browser, report(a.path, ...a.extra));
    assert.deepEqual(r.problems, [], a.path);
    assert.deepEqual(r.requests, [], a.path);
    await assertProportional(r.page, a.visible, basename(a.path));
    await r.page.close();
  }
});

test('html page, waste-tiny: the hidden view is the 6291456 hidden bytes; layers name their Dockerfile lines', async () => {
  const r = await openReport(browser, report(WASTE, '--dockerfile', WASTE_DOCKERFILE));
  const page = r.page;
  assert.deepEqual([...r.problems, ...r.requests], []);
  await page.getByLabel(/Hidden bytes/).check();
  await page.waitForFunction("window.fathomReport.state().view === 'hidden'", undefined, { timeout: 5000 }).catch(() => undefined);
  assert.equal((await state(page)).view, 'hidden');
  // the Dockerfile's comments: 3 MiB deleted, 1 MiB and 2 MiB overwritten
  await assertProportional(page, 6291456, 'hidden view');
  const values = (await rects(page)).map((x) => x.value).sort((a, b) => b - a);
  assert.deepEqual(values, [3145728, 2097152, 1048576]);
  const lines = await page.locator('.layer .dockerfile').allTextContents();
  assert.equal(lines.length, 6);
  assert.match(lines[1]!, /^waste-tiny\.Dockerfile:\d+ RUN rm \/opt\/tmp-3MiB\.bin$/);
  // picking a layer out presses its button
  await page.locator('.layer-button').nth(2).click();
  assert.equal(await page.locator('.layer-button').nth(2).getAttribute('aria-pressed'), 'true');
  await page.close();
});

test('html page: click into a directory and back (breadcrumb, browser history); Tab, Enter and Escape do the same', async () => {
  const { page } = await openReport(browser, report(WASTE));
  const box = await page.locator('.map-button[aria-label^="opt,"]').boundingBox();
  assert.ok(box, 'a button over /opt');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expectRoot(page, '/opt');
  assert.equal(await page.locator('.crumbs [aria-current]').textContent(), 'opt');
  await assertProportional(page, 3145728, '/opt');
  await page.locator('.crumbs a', { hasText: '/' }).click();
  await expectRoot(page, '/');
  await page.goBack();
  await expectRoot(page, '/opt');
  await page.goBack();
  await expectRoot(page, '/');

  // keyboard only: Tab until a rectangle's button has the focus, Enter opens it, Escape comes back
  let label: string | null = null;
  for (let i = 0; i < 40 && label === null; i++) {
    await page.keyboard.press('Tab');
    label = await page.evaluate<string | null>("document.activeElement && document.activeElement.classList.contains('map-button') && document.activeElement.getAttribute('data-node') !== null ? document.activeElement.getAttribute('aria-label') : null");
  }
  assert.ok(label, 'Tab reaches the map');
  assert.match(label, /^opt, directory, 3\.15 MB/);
  assert.match((await page.locator('.details h3').textContent()) ?? '', /^\/opt$/, 'focus shows the details');
  await page.keyboard.press('Enter');
  await expectRoot(page, '/opt');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await expectRoot(page, '/');
  // the text alternative: the top directories as a table, whose names open them too
  const names = await page.locator('table.contents tbody th').allTextContents();
  assert.deepEqual(names, ['opt/', 'bin/', 'var/', 'root/', 'etc/']);
  await page.locator('table.contents button', { hasText: 'var/' }).click();
  await expectRoot(page, '/var');
  await page.close();
});

test('html page: a finding links to its file, which is selected in its directory; a hidden file opens the hidden view', async () => {
  const { page, problems } = await openReport(browser, report(SETUID));
  assert.deepEqual(problems, []);
  await page.locator('.findings a', { hasText: '/usr/local/bin/sg-copy' }).click();
  const s = await settledOn(page, '/usr/local/bin/sg-copy');
  assert.deepEqual([s.view, s.root, s.selected], ['final', '/usr/local/bin', '/usr/local/bin/sg-copy']);
  assert.equal(await page.locator('.details h3').textContent(), '/usr/local/bin/sg-copy');
  assert.ok((await rects(page)).some((x) => x.node === s.selectedNode), 'the selected file is painted');
  await page.close();

  const w = await openReport(browser, report(WASTE));
  await w.page.locator('.hidden-files a', { hasText: '/opt/tmp-3MiB.bin' }).click();
  const h = await settledOn(w.page, '/opt/tmp-3MiB.bin');
  assert.deepEqual([h.view, h.root, h.selected], ['hidden', '/opt', '/opt/tmp-3MiB.bin']);
  assert.match((await w.page.locator('.details').textContent()) ?? '', /Deleted by\s*layer 2: RUN \/bin\/sh -c rm \/opt\/tmp-3MiB\.bin/);
  await w.page.close();
});

test('html page: a path name with markup stays text; nothing runs', async () => {
  const evil = '<img src=x onerror="window.pwned=1">';
  const items: TarItem[] = [{ name: 'x/' }, { name: `x/${evil}`, content: 'hello world' }, { name: 'x/ok.txt', content: 'fine' }];
  const tarFile = join(dir, 'evil.tar');
  writeFileSync(tarFile, await dockerArchive([{ tag: 'evil:1', layers: [{ items }] }]));
  const { page, problems, requests } = await openReport(browser, report(tarFile), '#final:/x');
  assert.deepEqual([...problems, ...requests], []);
  assert.equal(await page.evaluate<unknown>('window.pwned'), undefined);
  assert.equal(await page.locator('img').count(), 0);
  assert.ok((await page.locator('table.contents tbody th').allTextContents()).includes(evil));
  await page.close();
});

test('html page: screenshots at two sizes, light and dark; the narrow one stacks the details under the map', async () => {
  const file = report(WASTE, '--dockerfile', WASTE_DOCKERFILE);
  for (const [width, height, scheme] of [[1400, 1000, 'light'], [720, 1100, 'dark']] as const) {
    const b = await launchChromium({ width, height, colorScheme: scheme });
    try {
      const { page, problems } = await openReport(b, file);
      assert.deepEqual(problems, []);
      const shot = join(shots, `report-${width}-${scheme}.png`);
      await page.screenshot({ path: shot, fullPage: width > 900 });
      assert.ok(statSync(shot).size > 20_000);
      const map = (await page.locator('.map-host').boundingBox())!;
      const aside = (await page.locator('.details').boundingBox())!;
      if (width < 900) assert.ok(aside.y >= map.y + map.height, 'details below the map');
      else assert.ok(aside.x >= map.x + map.width, 'details beside the map');
      const bg = await page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor');
      assert.equal(bg, scheme === 'dark' ? 'rgb(22, 24, 28)' : 'rgb(255, 255, 255)');
      await assertProportional(page, undefined, `${width}px`);
    } finally {
      await b.close();
    }
  }
});

/** Bytes of a fixed seed, so edit.bin is the same size with other content. */
const bytesOf = (n: number, seed: number) => Buffer.alloc(n, seed);

test('html diff page: the change view paints HEAD and, hatched, what it removed; layers by diff_id', async () => {
  const base: TarItem[] = [
    { name: 'srv/', type: 'directory' },
    { name: 'srv/keep.bin', content: bytesOf(40000, 1) },
    { name: 'srv/old.bin', content: bytesOf(30000, 2) },
    { name: 'srv/edit.bin', content: bytesOf(10000, 3) },
  ];
  const head: TarItem[] = [
    { name: 'srv/', type: 'directory' },
    { name: 'srv/new.bin', content: bytesOf(20000, 4) },
    { name: 'srv/.wh.old.bin', content: '' },
    { name: 'srv/edit.bin', content: bytesOf(10000, 5) },
  ];
  const b = join(dir, 'diff-base.tar');
  const h = join(dir, 'diff-head.tar');
  writeFileSync(b, await dockerArchive([{ tag: 'page/base:1', layers: [{ items: base, createdBy: 'COPY srv /srv' }] }]));
  writeFileSync(h, await dockerArchive([{ tag: 'page/head:1', layers: [{ items: base, createdBy: 'COPY srv /srv' }, { items: head, createdBy: 'RUN update srv' }] }]));
  const file = join(dir, 'diff.html');
  const cli = runCli(['diff', b, h, '--report', `html=${file}`]);
  assert.equal(cli.status, 0, cli.stderr);
  const r = await openReport(browser, file);
  const page = r.page;
  assert.deepEqual([...r.problems, ...r.requests], []);
  assert.equal((await state(page)).view, 'diff', 'a diff opens on its change view');
  assert.match((await page.locator('h1').textContent()) ?? '', /page\/base:1 → page\/head:1/);
  // HEAD's 70,000 visible bytes and the 30,000 it removed, every rectangle to scale
  await assertProportional(page, 100000, 'diff view');
  // a directory that is the only child shows its own children at once
  const painted = await rects(page);
  const byPath = new Map<string, Rect>();
  for (const x of painted) byPath.set(await page.evaluate<string>(`window.fathomReport.path(${x.node})`), x);
  assert.deepEqual([...byPath].map(([p, x]) => [p, x.value]).sort(), [['/srv/edit.bin', 10000], ['/srv/keep.bin', 40000], ['/srv/new.bin', 20000], ['/srv/old.bin', 30000]]);
  // the colour at each unhatched rectangle's centre: added green, changed amber, unchanged grey (CHANGE_STYLE)
  const pixel = (x: Rect) =>
    page.evaluate<string>(`(() => {
      const canvas = document.querySelector('canvas');
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      const d = canvas.getContext('2d').getImageData(Math.floor(${x.x + x.w / 2} * scale), Math.floor(${x.y + x.h / 2} * scale), 1, 1).data;
      return '#' + [d[0], d[1], d[2]].map((v) => v.toString(16).padStart(2, '0')).join('');
    })()`);
  assert.equal(await pixel(byPath.get('/srv/new.bin')!), '#59a14f');
  assert.equal(await pixel(byPath.get('/srv/edit.bin')!), '#edc948');
  assert.equal(await pixel(byPath.get('/srv/keep.bin')!), '#b4b4b4');
  const rows = await page.locator('.alignment tbody tr').allTextContents();
  assert.equal(rows.length, 2);
  assert.match(rows[0]!, /^=00.*shared/);
  assert.match(rows[1]!, /^\+1.*only in HEAD.*RUN update srv/);
  assert.match((await page.locator('.diff-summary').textContent()) ?? '', /1 added, 1 removed, 1 changed, 0 moved/);
  await page.close();
});
