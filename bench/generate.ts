/**
 * Generates the benchmark archive: a legacy `docker save` layout with ≥ 1 GB of layer content and ≥ 100k entries,
 * plain and gzip layers, a layer of 50,000 whiteouts and a layer of opaque directory replacements.
 * Written once to bench/.cache/ and reused (delete the folder to regenerate).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Transform } from 'node:stream';
import tar from 'tar-stream';

export const CACHE = join(import.meta.dirname ?? '.', '.cache');
const VERSION = 'v2';

interface GenLayer {
  name: string;
  gzip: boolean;
  command: string;
  write: (add: (name: string, size: number, type?: 'file' | 'directory') => Promise<void>) => Promise<void>;
}

// semi-compressible content: a random 64 KiB block, shifted per file so no two files are identical
const BLOCK = Buffer.alloc(1 << 16);
let seed = 12345;
for (let i = 0; i < BLOCK.length; i++) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  BLOCK[i] = (seed >> 16) & 0x3f; // 6 bits of entropy per byte
}

function content(size: number, salt: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let off = 0;
  const start = (salt * 7919) % BLOCK.length;
  while (off < size) {
    const n = Math.min(size - off, BLOCK.length - (off === 0 ? start : 0));
    BLOCK.copy(out, off, off === 0 ? start : 0, (off === 0 ? start : 0) + n);
    off += n;
  }
  if (size >= 4) out.writeUInt32LE(salt, 0);
  return out;
}

const L0_FILES = 60_000;
const L1_FILES = 40_000;
const WHITEOUTS = 50_000;
const OPAQUE_DIRS = 100;

/** Few entries, many bytes: the streaming baseline (memory that belongs to bytes and fixed costs, not entries). */
const bytesOnly: GenLayer[] = [
  {
    name: 'assets', gzip: false, command: 'COPY assets/ /srv/ # 40 x 10 MiB',
    write: async (add) => {
      await add('srv/', 0, 'directory');
      for (let i = 0; i < 40; i++) await add(`srv/asset${i}.bin`, 10 << 20, 'file');
    },
  },
  {
    name: 'more', gzip: true, command: 'COPY more/ /opt/ # 40 x 10 MiB, gzip',
    write: async (add) => {
      await add('opt/', 0, 'directory');
      for (let i = 0; i < 40; i++) await add(`opt/more${i}.bin`, 10 << 20, 'file');
    },
  },
];

const full: GenLayer[] = [
  {
    name: 'base', gzip: false, command: 'ADD rootfs.tar / # 60,000 files',
    write: async (add) => {
      for (let d = 0; d < 600; d++) {
        await add(`data/d${d}/`, 0, 'directory');
        for (let f = 0; f < L0_FILES / 600; f++) await add(`data/d${d}/f${f}.bin`, 4096 + ((d * 131 + f * 17) % 8192), 'file');
      }
    },
  },
  {
    name: 'app', gzip: true, command: 'RUN install app # 40,000 files, gzip',
    write: async (add) => {
      for (let d = 0; d < 400; d++) {
        await add(`app/m${d}/`, 0, 'directory');
        for (let f = 0; f < L1_FILES / 400; f++) await add(`app/m${d}/x${f}.js`, 6000 + ((d * 37 + f * 101) % 9000), 'file');
      }
    },
  },
  {
    name: 'cleanup', gzip: false, command: 'RUN rm 50,000 files # whiteouts',
    write: async (add) => {
      let n = 0;
      for (let d = 0; d < 600 && n < WHITEOUTS; d++) {
        await add(`data/d${d}/`, 0, 'directory');
        for (let f = 0; f < L0_FILES / 600 && n < WHITEOUTS; f++, n++) await add(`data/d${d}/.wh.f${f}.bin`, 0, 'file');
      }
    },
  },
  {
    name: 'replace', gzip: true, command: 'RUN replace 100 module dirs # opaque',
    write: async (add) => {
      for (let d = 0; d < OPAQUE_DIRS; d++) {
        await add(`app/m${d}/`, 0, 'directory');
        await add(`app/m${d}/.wh..wh..opq`, 0, 'file');
        for (let f = 0; f < 10; f++) await add(`app/m${d}/new${f}.js`, 2000, 'file');
      }
    },
  },
  {
    name: 'assets', gzip: false, command: 'COPY assets/ /srv/ # 40 x 10 MiB',
    write: async (add) => {
      await add('srv/', 0, 'directory');
      for (let i = 0; i < 40; i++) await add(`srv/asset${i}.bin`, 10 << 20, 'file');
    },
  },
];

/**
 * The "pull request" image for the diff benchmark: the full archive's base layer byte for byte (the same generator
 * and salts, so the same diff_id), then its own application layer and assets: a change that touches most files.
 */
const head: GenLayer[] = [
  full[0]!,
  {
    name: 'app-v2', gzip: true, command: 'RUN install app v2 # 45,000 files, gzip',
    write: async (add) => {
      for (let d = 0; d < 450; d++) {
        await add(`app/m${d}/`, 0, 'directory');
        for (let f = 0; f < 100; f++) await add(`app/m${d}/x${f}.js`, 6100 + ((d * 41 + f * 97) % 9000), 'file');
      }
    },
  },
  {
    name: 'assets-v2', gzip: false, command: 'COPY assets/ /srv/ # 44 x 10 MiB',
    write: async (add) => {
      await add('srv/', 0, 'directory');
      for (let i = 0; i < 44; i++) await add(`srv/asset${i}.bin`, (10 << 20) + i, 'file');
    },
  },
];

async function writeLayer(l: GenLayer, path: string): Promise<{ diffId: string; entries: number; bytes: number }> {
  const pack = tar.pack();
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const done = l.gzip
    ? pipeline(pack as unknown as NodeJS.ReadableStream, tap, createGzip({ level: 1, chunkSize: 1 << 20 }), out)
    : pipeline(pack as unknown as NodeJS.ReadableStream, tap, out);
  let entries = 0;
  let bytes = 0;
  let salt = 0;
  await l.write(async (name, size, type = 'file') => {
    entries++;
    bytes += size;
    const header = { name, size, type, mode: type === 'directory' ? 0o755 : 0o644, mtime: new Date(0) };
    if (type === 'file') pack.entry(header, size > 0 ? content(size, salt++) : Buffer.alloc(0));
    else pack.entry(header);
    // keep memory flat while generating: let the pipeline drain the packer (streamx's own buffer count)
    const state = (pack as unknown as { _readableState: { buffered: number } })._readableState;
    while (state.buffered > 8 << 20) await new Promise((r) => setImmediate(r));
  });
  pack.finalize();
  await done;
  return { diffId: 'sha256:' + hash.digest('hex'), entries, bytes };
}

export interface BenchArchive {
  path: string;
  entries: number;
  contentBytes: number;
  archiveBytes: number;
}

export async function ensureBenchArchive(kind: 'full' | 'bytes' | 'head' = 'full'): Promise<BenchArchive> {
  const layers = kind === 'full' ? full : kind === 'head' ? head : bytesOnly;
  mkdirSync(CACHE, { recursive: true });
  const path = join(CACHE, `bench-${kind}-${VERSION}.tar`);
  const metaPath = path + '.json';
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse((await import('node:fs')).readFileSync(metaPath, 'utf8')) as BenchArchive;
    return meta;
  }
  process.stderr.write('generating the benchmark archive (once; bench/.cache/)…\n');
  const built = [];
  let entries = 0;
  let contentBytes = 0;
  for (const [i, l] of layers.entries()) {
    const file = join(CACHE, `${kind}-layer${i}.tar${l.gzip ? '.gz' : ''}`);
    const r = await writeLayer(l, file);
    entries += r.entries;
    contentBytes += r.bytes;
    built.push({ ...r, file, l, dir: `layer${i}` });
    process.stderr.write(`  layer ${i}: ${r.entries} entries, ${(r.bytes / 1e6).toFixed(0)} MB${l.gzip ? ' (gzip)' : ''}\n`);
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: built.map((b) => b.diffId) },
      history: built.map((b) => ({ created_by: b.l.command })),
    }),
  );
  const configName = createHash('sha256').update(config).digest('hex') + '.json';
  const manifest = JSON.stringify([{ Config: configName, RepoTags: [kind === 'head' ? 'fathom/bench-head:latest' : 'fathom/bench:latest'], Layers: built.map((b) => `${b.dir}/layer.tar`) }]);
  const pack = tar.pack();
  const tmp = path + '.tmp';
  const done = pipeline(pack as unknown as NodeJS.ReadableStream, createWriteStream(tmp, { highWaterMark: 1 << 20 }));
  for (const b of built) {
    const size = statSync(b.file).size;
    const sink = pack.entry({ name: `${b.dir}/layer.tar`, size, mode: 0o644, mtime: new Date(0) });
    const src = createReadStream(b.file, { highWaterMark: 1 << 20 });
    for await (const chunk of src) {
      if (!sink.write(chunk)) await once(sink, 'drain');
    }
    (sink as unknown as { end(): void }).end();
    await once(sink, 'finish');
  }
  pack.entry({ name: configName, mode: 0o644, mtime: new Date(0) }, config);
  pack.entry({ name: 'manifest.json', mode: 0o644, mtime: new Date(0) }, manifest);
  pack.finalize();
  await done;
  renameSync(tmp, path);
  for (const b of built) rmSync(b.file);
  const meta: BenchArchive = { path, entries, contentBytes, archiveBytes: statSync(path).size };
  writeFileSync(metaPath, JSON.stringify(meta));
  return meta;
}
