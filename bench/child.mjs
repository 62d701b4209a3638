// One measured run in its own process, so peak RSS belongs to that run alone. Plain JavaScript over the built
// dist/ (what `fathom` runs), not tsx: its transform adds a helper call to every closure on the hot path.
// Modes: baseline (modules loaded, nothing read), floor (read + decompress + tar parse with fathom's own tar parser,
// no analysis; any layout: layer blobs recognised by their magic bytes as fathom does), verified-floor (the floor plus
// the work no correct run can skip: sha256 of every blob and diff_id through fathom's own BlobStream, on the same
// threads, xxh64 of every file's content, sha256 of the other members), floor-tar-stream (the same with the tar-stream library, for reference), fathom (full analysis),
// fathom-registry (full analysis of HOST/REPO:TAG read from a registry; `path` is that reference).
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { loadImage } from '../dist/src/archive/loadImage.js';
import { analyzeImage } from '../dist/src/analysis/analyzeImage.js';
import { tarEntries } from '../dist/src/tar/tarEntries.js';
import { TarParser } from '../dist/src/tar/tarParser.js';
import { decompress } from '../dist/src/layer/compression.js';
import { looksLikeTar, peek, sniffCompression } from '../dist/src/layer/sniff.js';
import { BlobStream } from '../dist/src/layer/blobStream.js';
import { createHash } from 'node:crypto';
import xxhash from 'xxhash-wasm';
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

/** One layer's tar: entries counted and, when verifying, every file's content hashed with xxh64 as fathom does. */
function layerSink(h64, counter) {
  let first;
  let streaming;
  let inFile = false;
  return {
    entry: (header) => {
      counter.entries++;
      inFile = h64 !== undefined && header.type === 'file';
      first = undefined;
      streaming = undefined;
    },
    data: (chunk) => {
      if (!inFile) return;
      if (streaming) streaming.update(chunk);
      else if (first === undefined) first = chunk;
      else {
        streaming = h64.create64().update(first).update(chunk);
        first = undefined;
      }
    },
    end: () => {
      if (!inFile) return;
      counter.hashes ^= Number((streaming ? streaming.digest() : h64.h64Raw(first ?? new Uint8Array(0))) & 0xffffn);
      inFile = false;
    },
  };
}

async function floor(verified) {
  const h64 = verified ? await xxhash() : undefined;
  const counter = { entries: 0, hashes: 0 };
  for await (const { header, body } of tarEntries(open(), path)) {
    if (header.type !== 'file') continue;
    const { head, stream } = await peek(body, 512);
    const kind = sniffCompression(head);
    if (header.size > 0 && (kind !== 'none' || looksLikeTar(head))) {
      const parser = new TarParser(header.name, layerSink(h64, counter));
      const blob = verified ? new BlobStream(stream, header.name, { path, offset: header.byteOffset, size: header.size }) : undefined;
      for await (const chunk of blob ? blob.tar() : decompress(stream, kind, path)) parser.write(chunk);
      parser.finish();
      if (blob) await blob.digests();
    } else if (verified) {
      const hash = createHash('sha256');
      for await (const chunk of stream) hash.update(chunk);
      hash.digest('hex');
    } else {
      for await (const _ of stream) void _;
    }
  }
  return counter.entries;
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
if (mode === 'floor') entries = await floor(false);
else if (mode === 'verified-floor') entries = await floor(true);
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
