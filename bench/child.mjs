// One measured run in its own process, so peak RSS belongs to that run alone. Plain JavaScript over the built
// dist/ (what `fathom` runs), not tsx: its transform adds a helper call to every closure on the hot path.
// Modes: baseline (modules loaded, nothing read), floor (decompress + tar parse, no analysis), fathom (full analysis).
import { createReadStream, readFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { pipeline, Readable } from 'node:stream';
import { loadImage } from '../dist/src/loadImage.js';
import { analyzeImage } from '../dist/src/analysis/analyzeImage.js';
import { feedTar } from '../dist/src/layer/feedTar.js';
import { sniffCompression } from '../dist/src/layer/compression.js';

const [mode, path] = process.argv.slice(2);
const open = () => createReadStream(path, { highWaterMark: 1 << 20 });

async function floor() {
  let entries = 0;
  await feedTar(open(), path, async (header, stream, next) => {
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) return next();
    async function* all() {
      yield first.value;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    }
    const src = sniffCompression(first.value) === 'gzip' ? pipeline(Readable.from(all()), createGunzip({ chunkSize: 1 << 20 }), () => {}) : all();
    if (header.name.endsWith('layer.tar')) {
      await feedTar(src, header.name, (_h, s, n) => {
        entries++;
        s.on('end', n);
        s.resume();
      });
    } else {
      for await (const _ of src) void _;
    }
    next();
  });
  return entries;
}

const t0 = process.hrtime.bigint();
let entries = 0;
if (mode === 'floor') entries = await floor();
else if (mode === 'fathom') {
  const image = await loadImage(open(), path, { defaultPlatform: 'linux/amd64', filePath: path });
  analyzeImage(image);
  entries = image.layers.reduce((s, l) => s + l.files.count, 0);
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
// VmHWM is this process image's own peak: ru_maxrss would carry the parent's peak across fork+exec
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
process.stdout.write(JSON.stringify({ mode, seconds, entries, maxRssBytes: hwm ? Number(hwm[1]) * 1024 : 0 }) + '\n');
