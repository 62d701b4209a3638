/**
 * The images people actually have (issue 13): a Debian-like rootfs layer — many small files (docs, configs, man
 * pages, locales), shared libraries and their symlinks, binaries, a few big files — then layers that install
 * packages, add an application, rewrite files and delete some. Two sizes (the rootfs alone, ~100 MB; rootfs plus six
 * layers, ~270 MB), each in two layouts: `docker save`'s legacy docker-archive (plain layer.tar, what dive 0.12 reads)
 * and an OCI archive with gzip layers (what `skopeo copy … oci-archive:` and registries hold; dive 0.12 cannot read
 * it). Deterministic; written once to bench/.cache/ and reused.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { CACHE } from './generate.js';

const VERSION = 't2';

type Entry =
  | { type: 'directory'; name: string }
  | { type: 'file'; name: string; size: number; text: boolean; mode?: number }
  | { type: 'symlink'; name: string; target: string }
  | { type: 'whiteout'; name: string };

interface TypicalLayer {
  command: string;
  entries: () => Generator<Entry>;
}

/** A small deterministic PRNG (mulberry32): the same images on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Content pools: text compresses about 3-4x under gzip (docs, configs, scripts), "binary" about 2x (code, data):
// what Debian's files do. Each file takes a slice at its own offset and is stamped with a counter, so no two match.
const POOL = 1 << 20;
const WORDS = 'the of and to in is for on that with by this be are from or as at an package debian copyright license file version system config data value default library return static const int void char struct include define if else while error'.split(' ');
const textPool = (() => {
  const r = prng(7);
  const parts: string[] = [];
  let len = 0;
  while (len < POOL * 2) {
    const w = r() < 0.08 ? '\n' : WORDS[Math.floor(r() * WORDS.length)]! + (r() < 0.1 ? '. ' : ' ');
    parts.push(w);
    len += w.length;
  }
  return Buffer.from(parts.join('')).subarray(0, POOL * 2);
})();
const binaryPool = (() => {
  const r = prng(11);
  const b = Buffer.alloc(POOL * 2);
  for (let i = 0; i < b.length; i++) {
    // runs of zeros and small values between random bytes, as in machine code and tables
    const x = r();
    b[i] = x < 0.45 ? 0 : x < 0.75 ? Math.floor(r() * 16) : Math.floor(r() * 256);
  }
  return b;
})();

let stamp = 0;
function content(size: number, text: boolean): Buffer {
  const pool = text ? textPool : binaryPool;
  const out = Buffer.allocUnsafe(size);
  const n = stamp++;
  let off = 0;
  let from = (n * 7919) % POOL;
  while (off < size) {
    const len = Math.min(size - off, POOL);
    pool.copy(out, off, from, from + len);
    off += len;
    from = (from + 4099) % POOL;
  }
  if (size >= 8) out.write(n.toString(16).padStart(8, '0'), 0, 'latin1');
  return out;
}

/** A size between lo and hi, skewed small (most files are small; a few are large). */
function skewed(r: () => number, lo: number, hi: number): number {
  return Math.floor(lo + (hi - lo) * r() ** 3);
}

const PACKAGES = 90;

function* debianRootfs(): Generator<Entry> {
  const r = prng(1);
  for (const d of ['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib64', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr', 'var']) yield { type: 'directory', name: `${d}/` };
  for (const d of ['usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib/x86_64-linux-gnu', 'usr/share', 'usr/share/doc', 'usr/share/man', 'usr/share/locale', 'usr/share/zoneinfo', 'usr/share/perl5', 'usr/lib/locale', 'var/lib', 'var/lib/dpkg', 'var/lib/dpkg/info', 'var/cache', 'var/log', 'etc/alternatives', 'etc/default', 'etc/init.d']) yield { type: 'directory', name: `${d}/` };
  // configuration: ~300 small text files
  for (let i = 0; i < 300; i++) yield { type: 'file', name: `etc/conf${i}.conf`, size: skewed(r, 60, 12_000), text: true };
  for (let i = 0; i < 60; i++) yield { type: 'symlink', name: `etc/alternatives/alt${i}`, target: `/usr/bin/tool${i}` };
  // per package: docs, dpkg's info files
  for (let p = 0; p < PACKAGES; p++) {
    yield { type: 'directory', name: `usr/share/doc/pkg${p}/` };
    yield { type: 'file', name: `usr/share/doc/pkg${p}/copyright`, size: skewed(r, 800, 40_000), text: true };
    yield { type: 'file', name: `usr/share/doc/pkg${p}/changelog.Debian.gz`, size: skewed(r, 300, 30_000), text: false };
    for (const ext of ['list', 'md5sums', 'postinst', 'prerm']) yield { type: 'file', name: `var/lib/dpkg/info/pkg${p}.${ext}`, size: skewed(r, 100, 20_000), text: true };
  }
  yield { type: 'file', name: 'var/lib/dpkg/status', size: 420_000, text: true };
  // binaries: 400 in usr/bin and usr/sbin
  for (let i = 0; i < 400; i++) yield { type: 'file', name: `${i < 320 ? 'usr/bin' : 'usr/sbin'}/tool${i}`, size: skewed(r, 14_000, 180_000), text: false, mode: 0o755 };
  // shared libraries with their soname symlinks
  for (let i = 0; i < 260; i++) {
    const so = `usr/lib/x86_64-linux-gnu/lib${i}.so`;
    yield { type: 'file', name: `${so}.1.${i % 7}.0`, size: skewed(r, 18_000, 420_000), text: false };
    yield { type: 'symlink', name: `${so}.1`, target: `lib${i}.so.1.${i % 7}.0` };
  }
  // man pages, locales, zoneinfo, perl modules: the many small files
  for (let s = 1; s <= 8; s++) yield { type: 'directory', name: `usr/share/man/man${s}/` };
  for (let i = 0; i < 2000; i++) yield { type: 'file', name: `usr/share/man/man${1 + (i % 8)}/page${i}.${1 + (i % 8)}.gz`, size: skewed(r, 400, 16_000), text: false };
  for (let l = 0; l < 40; l++) {
    yield { type: 'directory', name: `usr/share/locale/l${l}/` };
    yield { type: 'directory', name: `usr/share/locale/l${l}/LC_MESSAGES/` };
    for (let i = 0; i < 14; i++) yield { type: 'file', name: `usr/share/locale/l${l}/LC_MESSAGES/pkg${i}.mo`, size: skewed(r, 1_000, 60_000), text: true };
  }
  for (let z = 0; z < 30; z++) {
    yield { type: 'directory', name: `usr/share/zoneinfo/Z${z}/` };
    for (let i = 0; i < 20; i++) yield { type: 'file', name: `usr/share/zoneinfo/Z${z}/city${i}`, size: skewed(r, 120, 3_000), text: false };
  }
  for (let m = 0; m < 60; m++) {
    yield { type: 'directory', name: `usr/share/perl5/M${m}/` };
    for (let i = 0; i < 14; i++) yield { type: 'file', name: `usr/share/perl5/M${m}/mod${i}.pm`, size: skewed(r, 300, 25_000), text: true };
  }
  // the few big files
  yield { type: 'file', name: 'usr/lib/locale/locale-archive', size: 3_100_000, text: false };
  yield { type: 'file', name: 'usr/lib/x86_64-linux-gnu/libicudata.so.72.1', size: 6_000_000, text: false };
  yield { type: 'file', name: 'usr/lib/x86_64-linux-gnu/libLLVM-15.so.1', size: 8_000_000, text: false };
  yield { type: 'file', name: 'usr/bin/perl5.36.0', size: 3_900_000, text: false, mode: 0o755 };
}

function* aptInstall(): Generator<Entry> {
  const r = prng(2);
  yield { type: 'directory', name: 'usr/lib/python3.11/' };
  for (let m = 0; m < 120; m++) {
    yield { type: 'directory', name: `usr/lib/python3.11/m${m}/` };
    for (let i = 0; i < 14; i++) yield { type: 'file', name: `usr/lib/python3.11/m${m}/f${i}.py`, size: skewed(r, 300, 40_000), text: true };
  }
  for (let i = 0; i < 140; i++) {
    yield { type: 'file', name: `usr/lib/x86_64-linux-gnu/libapt${i}.so.2.0`, size: skewed(r, 20_000, 600_000), text: false };
    yield { type: 'symlink', name: `usr/lib/x86_64-linux-gnu/libapt${i}.so.2`, target: `libapt${i}.so.2.0` };
  }
  for (let i = 0; i < 60; i++) yield { type: 'file', name: `usr/bin/new${i}`, size: skewed(r, 15_000, 900_000), text: false, mode: 0o755 };
  yield { type: 'file', name: 'usr/bin/python3.11', size: 6_800_000, text: false, mode: 0o755 };
  yield { type: 'file', name: 'usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0', size: 7_600_000, text: false };
  // apt's state, rewritten, and its lists and caches (removed again two layers up: waste)
  yield { type: 'file', name: 'var/lib/dpkg/status', size: 610_000, text: true };
  yield { type: 'directory', name: 'var/lib/apt/' };
  yield { type: 'directory', name: 'var/lib/apt/lists/' };
  for (let i = 0; i < 12; i++) yield { type: 'file', name: `var/lib/apt/lists/deb.debian.org_dists_${i}_Packages`, size: 1_000_000 + i * 60_000, text: true };
  yield { type: 'directory', name: 'var/cache/apt/' };
  yield { type: 'file', name: 'var/cache/apt/pkgcache.bin', size: 8_000_000, text: false };
  yield { type: 'file', name: 'var/cache/apt/srcpkgcache.bin', size: 7_900_000, text: false };
  for (let p = PACKAGES; p < PACKAGES + 60; p++) {
    yield { type: 'directory', name: `usr/share/doc/pkg${p}/` };
    yield { type: 'file', name: `usr/share/doc/pkg${p}/copyright`, size: skewed(r, 800, 30_000), text: true };
  }
}

function* aptCleanup(): Generator<Entry> {
  yield { type: 'directory', name: 'var/lib/apt/lists/' };
  for (let i = 0; i < 12; i++) yield { type: 'whiteout', name: `var/lib/apt/lists/deb.debian.org_dists_${i}_Packages` };
  yield { type: 'directory', name: 'var/cache/apt/' };
  yield { type: 'whiteout', name: 'var/cache/apt/pkgcache.bin' };
  yield { type: 'whiteout', name: 'var/cache/apt/srcpkgcache.bin' };
}

function* copyApp(): Generator<Entry> {
  const r = prng(3);
  yield { type: 'directory', name: 'app/' };
  for (let m = 0; m < 80; m++) {
    yield { type: 'directory', name: `app/node_modules/m${m}/` };
    for (let i = 0; i < 12; i++) yield { type: 'file', name: `app/node_modules/m${m}/f${i}.js`, size: skewed(r, 200, 90_000), text: true };
  }
  yield { type: 'file', name: 'app/package-lock.json', size: 380_000, text: true };
  for (let i = 0; i < 2; i++) yield { type: 'file', name: `app/assets/video${i}.bin`, size: 4_000_000, text: false };
}

function* buildApp(): Generator<Entry> {
  const r = prng(4);
  yield { type: 'directory', name: 'app/dist/' };
  for (let i = 0; i < 220; i++) yield { type: 'file', name: `app/dist/chunk${i}.js`, size: skewed(r, 1_000, 200_000), text: true };
  yield { type: 'file', name: 'app/package-lock.json', size: 392_000, text: true };
  yield { type: 'file', name: 'app/dist/bundle.js', size: 6_500_000, text: true };
}

function* rewriteConfig(): Generator<Entry> {
  const r = prng(5);
  yield { type: 'directory', name: 'etc/' };
  for (let i = 0; i < 30; i++) yield { type: 'file', name: `etc/conf${i * 7}.conf`, size: skewed(r, 60, 12_000), text: true };
  yield { type: 'file', name: 'usr/lib/locale/locale-archive', size: 11_000_000, text: false };
  yield { type: 'file', name: 'app/assets/video0.bin', size: 4_000_000, text: false };
}

function* slimDocs(): Generator<Entry> {
  // a few deletions, not a mass of them: dive copies its whole tree per whiteout (issue 13 is about images without)
  yield { type: 'directory', name: 'usr/share/doc/' };
  for (let p = 0; p < 8; p++) yield { type: 'whiteout', name: `usr/share/doc/pkg${p * 11}` };
  yield { type: 'directory', name: 'usr/share/man/man3/' };
  yield { type: 'file', name: 'usr/share/man/man3/.wh..wh..opq', size: 0, text: false };
  yield { type: 'file', name: 'etc/passwd', size: 1_200, text: true };
}

const ROOTFS: TypicalLayer = { command: 'ADD rootfs.tar.xz / # debian:bookworm-like', entries: debianRootfs };
const STACK: TypicalLayer[] = [
  ROOTFS,
  { command: 'RUN apt-get update && apt-get install -y python3 …', entries: aptInstall },
  { command: 'RUN rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin', entries: aptCleanup },
  { command: 'COPY app /app', entries: copyApp },
  { command: 'RUN npm run build', entries: buildApp },
  { command: 'RUN sed -i … /etc/*.conf && localedef …', entries: rewriteConfig },
  { command: 'RUN rm -rf /usr/share/doc/{…} /usr/share/man/man3 && useradd app', entries: slimDocs },
];

export type TypicalLayout = 'docker-archive' | 'oci-gzip';

export interface TypicalImage {
  readonly name: string;
  readonly layout: TypicalLayout;
  readonly path: string;
  readonly archiveBytes: number;
  readonly entries: number;
  readonly layers: number;
}

interface BuiltLayer {
  file: string;
  diffId: string;
  digest: string;
  size: number;
  entries: number;
  command: string;
}

async function writeLayer(layer: TypicalLayer, file: string, gzip: boolean): Promise<BuiltLayer> {
  const pack = tar.pack();
  const tarHash = createHash('sha256');
  const blobHash = createHash('sha256');
  const tap = (h: ReturnType<typeof createHash>) =>
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        h.update(chunk);
        cb(null, chunk);
      },
    });
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const done = gzip
    ? pipeline(pack as unknown as NodeJS.ReadableStream, tap(tarHash), createGzip({ chunkSize: 1 << 20 }), tap(blobHash), out)
    : pipeline(pack as unknown as NodeJS.ReadableStream, tap(tarHash), out);
  let entries = 0;
  const mtime = new Date(1_700_000_000_000);
  for (const e of layer.entries()) {
    entries++;
    if (e.type === 'directory') pack.entry({ name: e.name, type: 'directory', mode: 0o755, mtime });
    else if (e.type === 'symlink') pack.entry({ name: e.name, type: 'symlink', linkname: e.target, mode: 0o777, mtime });
    else if (e.type === 'whiteout') {
      const slash = e.name.lastIndexOf('/');
      pack.entry({ name: `${e.name.slice(0, slash + 1)}.wh.${e.name.slice(slash + 1)}`, size: 0, mode: 0o644, mtime }, Buffer.alloc(0));
    } else pack.entry({ name: e.name, size: e.size, mode: e.mode ?? 0o644, mtime }, e.size > 0 ? content(e.size, e.text) : Buffer.alloc(0));
    const state = (pack as unknown as { _readableState: { buffered: number } })._readableState;
    while (state.buffered > 8 << 20) await new Promise((r) => setImmediate(r));
  }
  pack.finalize();
  await done;
  const diffId = 'sha256:' + tarHash.digest('hex');
  return { file, diffId, digest: gzip ? 'sha256:' + blobHash.digest('hex') : diffId, size: statSync(file).size, entries, command: layer.command };
}

/** Append files to a tar stream, each from disk or a buffer, with backpressure. */
async function writeOuter(path: string, members: Array<{ name: string; file?: string; data?: Buffer }>): Promise<void> {
  const pack = tar.pack();
  const tmp = path + '.tmp';
  const done = pipeline(pack as unknown as NodeJS.ReadableStream, createWriteStream(tmp, { highWaterMark: 1 << 20 }));
  const mtime = new Date(1_700_000_000_000);
  for (const m of members) {
    if (m.data) {
      pack.entry({ name: m.name, mode: 0o644, mtime }, m.data);
      continue;
    }
    const sink = pack.entry({ name: m.name, size: statSync(m.file!).size, mode: 0o644, mtime });
    for await (const chunk of createReadStream(m.file!, { highWaterMark: 1 << 20 })) {
      if (!sink.write(chunk)) await once(sink, 'drain');
    }
    (sink as unknown as { end(): void }).end();
    await once(sink, 'finish');
  }
  pack.finalize();
  await done;
  renameSync(tmp, path);
}

function configJson(built: BuiltLayer[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/usr/bin/python3.11'], WorkingDir: '/app', User: 'app' },
      rootfs: { type: 'layers', diff_ids: built.map((b) => b.diffId) },
      history: built.map((b) => ({ created_by: `/bin/sh -c ${b.command}` })),
    }),
  );
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function writeDockerArchive(path: string, tag: string, built: BuiltLayer[]): Promise<void> {
  const config = configJson(built);
  const configName = `${sha(config)}.json`;
  const dirs = built.map((b) => b.diffId.slice(7, 71));
  const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: dirs.map((d) => `${d}/layer.tar`) }]));
  await writeOuter(path, [
    ...built.map((b, i) => ({ name: `${dirs[i]}/layer.tar`, file: b.file })),
    { name: configName, data: config },
    { name: 'manifest.json', data: manifest },
  ]);
}

async function writeOciArchive(path: string, tag: string, built: BuiltLayer[]): Promise<void> {
  const config = configJson(built);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha(config)}`, size: config.length },
      layers: built.map((b) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: b.digest, size: b.size })),
    }),
  );
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha(manifest)}`, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': tag.split(':')[1] } }],
    }),
  );
  await writeOuter(path, [
    { name: 'oci-layout', data: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
    ...built.map((b) => ({ name: `blobs/sha256/${b.digest.slice(7)}`, file: b.file })),
    { name: `blobs/sha256/${sha(config)}`, data: config },
    { name: `blobs/sha256/${sha(manifest)}`, data: manifest },
    { name: 'index.json', data: index },
  ]);
}

/** The four typical archives (two sizes × two layouts), generated on first use. */
export async function ensureTypicalImages(): Promise<TypicalImage[]> {
  mkdirSync(CACHE, { recursive: true });
  const metaPath = join(CACHE, `typical-${VERSION}.json`);
  if (existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as TypicalImage[];
    if (meta.every((m) => existsSync(m.path))) return meta;
  }
  process.stderr.write('generating the typical images (once; bench/.cache/)…\n');
  const out: TypicalImage[] = [];
  for (const layout of ['docker-archive', 'oci-gzip'] as const) {
    stamp = 0;
    const built: BuiltLayer[] = [];
    for (const [i, l] of STACK.entries()) built.push(await writeLayer(l, join(CACHE, `typical-layer${i}.${layout}`), layout === 'oci-gzip'));
    for (const [name, layers] of [['debian-1-layer', built.slice(0, 1)], ['debian-7-layers', built]] as const) {
      const path = join(CACHE, `typical-${name}-${layout}-${VERSION}.tar`);
      const tag = `fathom/${name}:bench`;
      if (layout === 'docker-archive') await writeDockerArchive(path, tag, layers);
      else await writeOciArchive(path, tag, layers);
      out.push({ name, layout, path, archiveBytes: statSync(path).size, entries: layers.reduce((s, b) => s + b.entries, 0), layers: layers.length });
      process.stderr.write(`  ${name} (${layout}): ${(statSync(path).size / 1e6).toFixed(0)} MB, ${layers.length} layers\n`);
    }
    for (const b of built) rmSync(b.file);
  }
  writeFileSync(metaPath, JSON.stringify(out));
  return out;
}
