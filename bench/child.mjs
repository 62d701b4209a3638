// One measured run in its own process, so peak RSS belongs to that run alone. Plain JavaScript over the built
// dist/ (what `fathom` runs), not tsx: its transform adds a helper call to every closure on the hot path.
// Modes: baseline (modules loaded, nothing read), floor (decompress + tar parse with fathom's own tar parser,
// no analysis), floor-tar-stream (the same with the tar-stream library, for reference), fathom (full analysis),
// fathom-registry (full analysis of HOST/REPO:TAG read from a registry; `path` is that reference).
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { loadImage } from '../dist/src/archive/loadImage.js';
import { analyzeImage } from '../dist/src/analysis/analyzeImage.js';
import { tarEntries } from '../dist/src/tar/tarEntries.js';
import { TarParser } from '../dist/src/tar/tarParser.js';
import { decompress } from '../dist/src/layer/compression.js';
import { peek, sniffCompression } from '../dist/src/layer/sniff.js';
import { withBatchGc } from '../dist/src/cli/batchGc.js';
import { parseRegistryReference } from '../dist/src/source/registry/reference.js';
import { registrySource } from '../dist/src/source/registry/registryImage.js';
import { openArchiveFile } from '../dist/src/source/openArchive.js';
import { loadForReview } from '../dist/src/review/loadForReview.js';
import { planReview, review } from '../dist/src/review/review.js';
import { gateConfigFrom } from '../dist/src/ci/gateConfig.js';
import { diffImages } from '../dist/src/diff/diffImages.js';

const [mode, path, headPath] = process.argv.slice(2);
const plan = () => planReview({ gate: gateConfigFrom({}, {}), today: '2026-01-01' });
const side = async (p) => ({ source: await openArchiveFile(p), select: { defaultPlatform: 'linux/amd64' } });
const open = () => createReadStream(path, { highWaterMark: 1 << 20 });

/** A member's chunks, decompressed (when its magic says so) by the same code fathom uses. */
async function* maybeDecompressed(body) {
  const { head, stream } = await peek(body, 512);
  if (head.length === 0) return;
  yield* decompress(stream, sniffCompression(head), path);
}

async function floor() {
  let entries = 0;
  for await (const { header, body } of tarEntries(open(), path)) {
    if (!header.name.endsWith('layer.tar')) continue;
    const parser = new TarParser(header.name, { entry: () => entries++, data: () => {}, end: () => {} });
    for await (const chunk of maybeDecompressed(body)) parser.write(chunk);
    parser.finish();
  }
  return entries;
}

/** tar-stream through its event API, with backpressure, one member at a time. */
function tarStream(chunks, onEntry) {
  return new Promise((resolve, reject) => {
    const extract = tar.extract();
    extract.on('entry', (header, stream, next) => Promise.resolve(onEntry(header, stream, next)).catch(reject));
    extract.on('error', reject);
    extract.on('finish', resolve);
    Readable.from(chunks).on('error', reject).pipe(extract);
  });
}

async function floorTarStream() {
  let entries = 0;
  await tarStream(open(), async (header, stream, next) => {
    if (header.name.endsWith('layer.tar')) {
      await tarStream(maybeDecompressed(stream), (_h, s, n) => {
        entries++;
        s.on('end', n);
        s.resume();
      });
    } else {
      for await (const _ of stream) void _;
    }
    next();
  });
  return entries;
}

const t0 = process.hrtime.bigint();
let entries = 0;
if (mode === 'floor') entries = await floor();
else if (mode === 'floor-tar-stream') entries = await floorTarStream();
else if (mode === 'fathom') {
  // as the CLI runs it (src/cli/analyzeCommand.ts)
  entries = await withBatchGc(async () => {
    const image = await loadImage(open(), path, { defaultPlatform: 'linux/amd64', filePath: path });
    analyzeImage(image);
    return image.layers.reduce((s, l) => s + l.files.count, 0);
  });
} else if (mode === 'fathom-registry') {
  entries = await withBatchGc(async () => {
    const source = registrySource(parseRegistryReference(path), { credentials: { env: {}, home: '/nonexistent' }, insecure: false });
    const image = await source.load({ defaultPlatform: 'linux/amd64' });
    analyzeImage(image);
    return image.layers.reduce((s, l) => s + l.files.count, 0);
  });
} else if (mode === 'review') {
  // one image as `fathom IMAGE` reviews it: load, analysis, rules, checks
  entries = await withBatchGc(async () => {
    const image = await loadForReview(await side(path));
    review(image, plan());
    return image.layers.reduce((s, l) => s + l.files.count, 0);
  });
} else if (mode === 'diff') {
  // `fathom diff BASE HEAD` without the rendering: both loads into one path table, both reviews, the comparison
  entries = await withBatchGc(async () => {
    const r = await diffImages({ base: await side(path), head: () => side(headPath) }, plan());
    return r.diff.files.length;
  });
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
// VmHWM is this process image's own peak: ru_maxrss would carry the parent's peak across fork+exec
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
process.stdout.write(JSON.stringify({ mode, seconds, entries, maxRssBytes: hwm ? Number(hwm[1]) * 1024 : 0 }) + '\n');
