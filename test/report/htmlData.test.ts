import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { detectBaseLayers } from '../../src/analysis/baseLayers.js';
import { summarize, type Check } from '../../src/ci/check.js';
import { layerInstructions } from '../../src/dockerfile/layerLines.js';
import { parseDockerfile } from '../../src/dockerfile/parseDockerfile.js';
import { loadImage } from '../../src/archive/loadImage.js';
import type { Image } from '../../src/model/imageTypes.js';
import { buildPageData } from '../../src/report/html/buildPageData.js';
import { htmlReport } from '../../src/report/html/htmlReport.js';
import { NODE_DIR, NODE_FILE, NODE_SMALL, type PageData, type TreeColumns } from '../../src/report/html/pageData.js';
import { chunksOf, dockerArchive, type TarItem } from '../helpers/buildArchive.js';
import { runCli } from '../helpers/runCli.js';
import { IMAGES, expectedTable, loadFile } from '../helpers/shared.js';

const WASTE = (layout: string) => join(IMAGES, 'corpus-rules', layout, 'waste-tiny.tar');
const WASTE_DOCKERFILE = join(IMAGES, 'corpus-rules', 'dockerfiles', 'waste-tiny.Dockerfile');

function pageData(image: Image, checks: Check[] = [], opts: { maxLeaves?: number; maxNodes?: number; dockerfile?: string } = {}): PageData {
  const analysis = analyzeImage(image);
  const dockerfile = opts.dockerfile ? parseDockerfile(readFileSync(opts.dockerfile, 'utf8'), opts.dockerfile) : undefined;
  return buildPageData(
    { image, analysis, gate: summarize(checks), version: 'test', base: detectBaseLayers(image), ...(dockerfile ? { dockerfile } : {}) },
    { ...(opts.maxLeaves ? { maxLeaves: opts.maxLeaves } : {}), ...(opts.maxNodes ? { maxNodes: opts.maxNodes } : {}) },
  );
}

/** Node index by path, walking the pre-order columns independently of the page's code. */
function nodesByPath(t: TreeColumns): Map<string, number> {
  const out = new Map<string, number>([['/', 0]]);
  const stack: Array<{ path: string; left: number }> = [{ path: '', left: t.kids[0]! }];
  for (let i = 1; i < t.name.length; i++) {
    while (stack[stack.length - 1]!.left === 0) stack.pop();
    const top = stack[stack.length - 1]!;
    top.left--;
    const path = t.kind[i] === NODE_SMALL ? `${top.path}/*` : `${top.path}/${t.name[i]}`;
    out.set(path, i);
    if (t.kids[i]! > 0) stack.push({ path, left: t.kids[i]! });
  }
  return out;
}

/** Every directory's figure is the sum of its children's (aggregates included): nothing is lost by grouping. */
function assertSumsExact(t: TreeColumns): void {
  const stack: Array<{ node: number; left: number; size: number; hidden: number; files: number }> = [];
  const close = () => {
    const s = stack.pop()!;
    assert.equal(s.size, t.size[s.node], `size of node ${s.node} (${t.name[s.node]})`);
    assert.equal(s.hidden, t.hidden[s.node], `hidden bytes of node ${s.node}`);
    assert.ok(s.files <= t.files[s.node]!, `files of node ${s.node}`);
  };
  for (let i = 0; i < t.name.length; i++) {
    while (stack.length > 0 && stack[stack.length - 1]!.left === 0) close();
    const top = stack[stack.length - 1];
    if (top) {
      top.left--;
      top.size += t.size[i]!;
      top.hidden += t.hidden[i]!;
      top.files += t.files[i]!;
    }
    if (t.kids[i]! > 0) stack.push({ node: i, left: t.kids[i]!, size: 0, hidden: 0, files: 0 });
  }
  while (stack.length > 0) close();
}

test('html data, waste-tiny: visible and hidden bytes per path and per layer as its Dockerfile documents them', async () => {
  for (const layout of ['docker-engine', 'oci-archive-zstd']) {
    const d = pageData(await loadFile(WASTE(layout)));
    const t = d.tree;
    const at = nodesByPath(t);
    const node = (p: string) => {
      const i = at.get(p);
      assert.ok(i !== undefined, `${layout}: no node for ${p}`);
      return i;
    };
    // the Dockerfile's comments: three files hold the 6291456 hidden bytes (L2..L7 there are layers 1..6 here)
    assert.equal(t.hidden[0], 6291456);
    const tmp = node('/opt/tmp-3MiB.bin');
    assert.deepEqual([t.size[tmp], t.hidden[tmp], t.hiddenFrom[tmp], t.hiddenBy[tmp], t.how[tmp]], [0, 3145728, 1, 2, 2]);
    const chmod = node('/opt/chmod-only-2MiB.bin');
    assert.deepEqual([t.size[chmod], t.layer[chmod], t.hidden[chmod], t.hiddenFrom[chmod], t.hiddenBy[chmod], t.how[chmod]], [2097152, 6, 2097152, 3, 6, 1]);
    const rewritten = node('/opt/rewritten-1MiB.bin');
    assert.deepEqual([t.size[rewritten], t.layer[rewritten], t.hidden[rewritten], t.hiddenBy[rewritten]], [1048576, 5, 1048576, 5]);
    const apk = node('/var/cache/apk');
    assert.deepEqual([t.kind[apk], t.size[apk], t.files[apk], t.layer[apk]], [NODE_DIR, 512000, 5, 4]);
    const npm = node('/root/.npm/_cacache');
    assert.deepEqual([t.size[npm], t.files[npm]], [98504, 3]);
    assert.equal(t.kind[node('/bin/busybox')], NODE_FILE);
    assertSumsExact(t);
    // per layer: visible + later hidden = the layer's bytes
    assert.deepEqual(d.layers.map((l) => l.hidden), [0, 3145728, 0, 3145728, 0, 0, 0]);
    assert.deepEqual(d.layers.slice(1).map((l) => l.visible), [0, 0, 0, 512000 + 98504, 1048576, 2097152]);
    for (const l of d.layers) assert.equal(l.visible + l.hidden, l.size, `${layout} layer ${l.index}`);
    assert.equal(d.image.visibleBytes, d.image.sizeBytes - d.image.reclaimableBytes);
  }
});

test('html data: the tree total is the visible bytes of every shared image (EXPECTED.md: size − reclaimable)', async () => {
  for (const row of expectedTable()) {
    const layout = row.layouts[0]!;
    const path = layout === 'dive-fixtures' ? join(IMAGES, 'dive-fixtures', row.image) : join(IMAGES, 'corpus', layout, row.image);
    const d = pageData(await loadFile(path, row.image.startsWith('test-oci') ? { platform: 'linux/arm64' } : {}));
    assert.equal(d.tree.size[0], row.sizeBytes - row.reclaimableBytes, row.image);
    assert.equal(d.tree.hidden[0], row.reclaimableBytes, row.image);
    assertSumsExact(d.tree);
  }
});

test('html data: small files merge per directory into one node with exact totals; kept paths stay', async () => {
  const items: TarItem[] = [{ name: 'big/' }, { name: 'big/huge.bin', content: Buffer.alloc(200_000, 1) }, { name: 'lots/' }];
  for (let i = 0; i < 300; i++) items.push({ name: `lots/f${i}.txt`, content: 'x'.repeat(10 + (i % 7)) });
  items.push({ name: 'lots/sub/' }, { name: 'lots/sub/a.txt', content: 'abc' });
  const expectedSmall = Array.from({ length: 300 }, (_, i) => 10 + (i % 7)).reduce((a, b) => a + b, 0);
  const image = await loadImage(chunksOf(await dockerArchive([{ tag: 'agg:1', layers: [{ items }] }])), 'agg.tar', { defaultPlatform: 'linux/amd64' });
  const check: Check = { id: 'x', title: 'x', status: 'WARN', message: 'm', locations: [{ path: '/lots/f7.txt', layer: 0 }, { path: '/lots/f8.txt' }] };
  // 1/1000 of 204k visible bytes: everything under 204 bytes is "small"
  const d = pageData(image, [check], { maxLeaves: 1000 });
  const at = nodesByPath(d.tree);
  const agg = at.get('/lots/*')!;
  assert.equal(d.tree.kind[agg], NODE_SMALL);
  assert.equal(d.tree.files[agg], 298);
  assert.equal(d.tree.size[agg], expectedSmall - 10 - 11);
  assert.ok(at.has('/lots/f7.txt') && at.has('/lots/f8.txt') && at.has('/big/huge.bin') && at.has('/lots/sub'), 'kept paths and directories');
  assert.equal(d.tree.size[at.get('/lots')!], expectedSmall + 3);
  assertSumsExact(d.tree);
  const loc = d.checks.find((c) => c.id === 'x')!.locations;
  assert.deepEqual(loc.map((l) => [l.node, l.exact]), [[at.get('/lots/f7.txt'), true], [at.get('/lots/f8.txt'), true]]);
  // over the node budget, small directories fold into their parent's group too, figures still exact
  const folded = pageData(image, [], { maxLeaves: 1000, maxNodes: 6 });
  assert.ok(folded.treeFacts.foldedDirs >= 1 && folded.tree.name.length <= 6, JSON.stringify(folded.treeFacts));
  assertSumsExact(folded.tree);
  assert.equal(folded.tree.size[0], 200_000 + expectedSmall + 3);
});

test('layer lines: the Dockerfile instruction behind each layer (buildkit and podman histories)', async () => {
  const text = readFileSync(WASTE_DOCKERFILE, 'utf8');
  const lines = text.split('\n');
  const lineOf = (start: string) => lines.findIndex((l) => l.startsWith(start)) + 1;
  const want = [undefined, lineOf('RUN mkdir -p /opt'), lineOf('RUN rm /opt'), lineOf("RUN yes 'rewritten-1MiB.bin version 1'"), lineOf('RUN mkdir -p /var/cache/apk'), lineOf("RUN yes 'rewritten-1MiB.bin version 2'"), lineOf('RUN chmod 0755')];
  assert.ok(want.slice(1).every((n) => n! > 0));
  for (const layout of ['docker-engine', 'oci-archive-zstd']) {
    const got = layerInstructions(await loadFile(WASTE(layout)), parseDockerfile(text, WASTE_DOCKERFILE));
    assert.deepEqual(got.map((i) => i?.line), want, layout);
  }
  const multi = join(IMAGES, 'corpus', 'dockerfiles', 'multistage.Dockerfile');
  const mtext = readFileSync(multi, 'utf8');
  const copy = mtext.split('\n').findIndex((l) => l.startsWith('COPY --from=builder')) + 1;
  const got = layerInstructions(await loadFile(join(IMAGES, 'corpus', 'docker-archive', 'multistage.tar')), parseDockerfile(mtext, multi));
  assert.deepEqual(got.map((i) => i?.line), [copy]);
});

test('html report: one file, script and style allowed by hash only, archive path names cannot close the data element', async () => {
  const evil = '</script><script>window.pwned=1</script><!--';
  const items: TarItem[] = [{ name: 'x/' }, { name: `x/${evil}.txt`, content: 'hello' }, { name: 'x/ok.txt', content: 'fine' }];
  const image = await loadImage(chunksOf(await dockerArchive([{ tag: 'evil:1', layers: [{ items }] }])), 'evil.tar', { defaultPlatform: 'linux/amd64' });
  const html = htmlReport({ image, analysis: analyzeImage(image), gate: summarize([]), version: 'test', base: detectBaseLayers(image) });
  assert.equal(html.split('</script').length - 1, 2, 'only the two real closing tags');
  assert.ok(!html.includes('<!--'));
  const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
  assert.match(csp, /default-src 'none'/);
  const script = /<script>([\s\S]*)<\/script>\n<\/body>/.exec(html)![1]!;
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
  assert.ok(csp.includes(`script-src ${hash(script)}`) && csp.includes(`style-src ${hash(style)}`), csp);
  assert.ok(!/https?:\/\//.test(html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, '')), 'no URL outside the data');
  const json = /<script type="application\/json" id="fathom-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
  // the name's slashes make directories: its last part is a file of the tree
  assert.ok((JSON.parse(json) as PageData).tree.name.includes('script><!--.txt'));
});

test('CLI: --format html to stdout, --report html=FILE, and html in the list of formats', () => {
  const fixture = join(IMAGES, 'corpus', 'docker-archive', 'busybox-tiny.tar');
  const out = runCli([fixture, '--format', 'html']);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^<!doctype html>/);
  assert.match(out.stdout, /<title>fathom: [^<]+<\/title>/);
  const bad = runCli([fixture, '--format', 'htm']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /use one of .*html/);
});
