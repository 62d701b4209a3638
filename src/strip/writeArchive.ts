import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import tar from 'tar-stream';
import type { MergedTree } from '../analysis/mergedTree.js';
import { ConfigError, InputError } from '../errors.js';
import type { Image } from '../model/imageTypes.js';
import type { KeptPath } from './closure.js';
import type { StripPlan } from './plan.js';
import type { SecondRead, SourceBytes } from './sourceBytes.js';

export type ArchiveFormat = 'docker' | 'oci';

export interface WriteOptions {
  /** The second read of the source for the kept files' bytes (the archive file again, or the registry). */
  readonly source: SecondRead;
  readonly output: string;
  readonly format: ArchiveFormat;
  /** Seconds since the epoch for every time in the output (SOURCE_DATE_EPOCH; 0 when unset). */
  readonly epoch: number;
  /** The name the loaded image gets (RepoTags / org.opencontainers.image.ref.name). */
  readonly tag?: string;
  /** Checks the finished archive before it takes the output's name: what it returns is why it must not. */
  readonly verify?: (archive: string) => Promise<readonly string[]>;
}

export interface WrittenImage {
  readonly id: string;
  readonly diffId: string;
  readonly layerBytes: number;
  readonly archiveBytes: number;
  /** What `verify` found: when not empty, nothing was written. */
  readonly refused: readonly string[];
}

/** Where a kept regular file's content lives: its own entry, or a hard link's target. */
function contentOf(tree: MergedTree, k: KeptPath): { layer: number; path: string; size: number } | undefined {
  const e = k.entry;
  if (e?.kind === 'file') return { layer: e.layer, path: e.path, size: e.size };
  if (e?.kind === 'hardlink' && e.link) {
    const t = tree.get(e.link);
    if (t?.kind === 'file') return { layer: t.layer, path: t.path, size: t.size };
  }
  return undefined;
}

type Header = tar.Header;

const DEVICE_TYPES = { char: 'character-device', block: 'block-device' } as const;

function headerOf(k: KeptPath, mtime: Date, size: number, bytes: SourceBytes): Partial<Header> & { name: string } | undefined {
  const name = k.path.slice(1);
  const owner = { uid: k.entry?.uid ?? 0, gid: k.entry?.gid ?? 0, mtime };
  const kind = k.entry ? k.entry.kind : k.made?.kind;
  const mode = k.entry?.mode ?? k.made?.mode ?? 0o644;
  if (kind === 'dir') return { name: name + '/', type: 'directory', mode, size: 0, ...owner };
  if (kind === 'symlink') return { name, type: 'symlink', linkname: k.entry!.link ?? '', mode, size: 0, ...owner };
  if (kind === 'file' || kind === 'hardlink') return { name, type: 'file', mode, size, ...owner };
  if (kind === 'fifo') return { name, type: 'fifo', mode, size: 0, ...owner };
  if (kind === 'char' || kind === 'block') {
    // the numbers come from the second read: the model keeps none
    const dev = bytes.device(k.entry!.layer, k.path);
    if (!dev) throw new InputError(`${k.path}: the device of layer ${k.entry!.layer} was not found on the second read (did the file change?)`);
    return { name, type: DEVICE_TYPES[kind], mode, size: 0, devmajor: dev.major, devminor: dev.minor, ...owner };
  }
  return undefined;
}

/** Pieces smaller than this are gathered into one write (tar-stream hands out each 512-byte header on its own). */
const GATHER_BYTES = 1 << 20;

/**
 * The one layer: every kept path sorted, times fixed, bytes from the source; its sha256 is the diff_id. Small pieces
 * go out gathered into writes of GATHER_BYTES (one write per tar header cost more than the data's own writes).
 */
async function writeLayer(plan: StripPlan, tree: MergedTree, bytes: SourceBytes, out: SyncFile, mtime: Date): Promise<{ diffId: string; size: number }> {
  const pack = tar.pack();
  const hash = createHash('sha256');
  let size = 0;
  let held: Buffer[] = [];
  let heldBytes = 0;
  const emit = (b: Buffer) => {
    hash.update(b);
    out.write(b);
    size += b.length;
  };
  const flush = () => {
    if (heldBytes === 0) return;
    emit(held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes));
    held = [];
    heldBytes = 0;
  };
  pack.on('data', (data: unknown) => {
    const c = data as Buffer;
    if (c.length >= GATHER_BYTES) {
      flush();
      return emit(c);
    }
    held.push(c);
    heldBytes += c.length;
    if (heldBytes >= GATHER_BYTES) flush();
  });
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const k of plan.kept) {
    if (k.path === '/') continue;
    const content = contentOf(tree, k);
    const h = headerOf(k, mtime, content?.size ?? 0, bytes);
    if (!h) continue;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(err) : resolve());
      if (!content || content.size === 0) return void pack.entry(h, Buffer.alloc(0), done);
      const sink = pack.entry(h, done);
      (async () => {
        for await (const c of bytes.read(content.layer, content.path)) if (!sink.write(c)) await new Promise<void>((r) => sink.once('drain', () => r()));
        sink.end(undefined);
      })().catch(reject);
    });
  }
  pack.finalize();
  await ended;
  flush();
  return { diffId: 'sha256:' + hash.digest('hex'), size };
}

/** Sequential synchronous writes to one file, and one rewrite at a given place (the first member's header). */
interface SyncFile {
  write(b: Buffer): void;
  writeAt(b: Buffer, position: number): void;
  readonly position: number;
}

function syncFile(fd: number): SyncFile {
  let position = 0;
  return {
    write(b) {
      for (let done = 0; done < b.length; ) done += writeSync(fd, b, done, b.length - done, position + done);
      position += b.length;
    },
    writeAt(b, at) {
      for (let done = 0; done < b.length; ) done += writeSync(fd, b, done, b.length - done, at + done);
    },
    get position() {
      return position;
    },
  };
}

/** A ustar header of a regular file (the outer archive's first member, written once its name and size are known). */
export function ustarFileHeader(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  if (size < 8 ** 11) h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  else {
    // base-256, as GNU tar writes sizes from 8 GiB on
    h[124] = 0x80;
    let v = BigInt(size);
    for (let i = 135; i > 124; i--, v >>= 8n) h[i] = Number(v & 0xffn);
  }
  h.write(mtime.toString(8).padStart(11, '0') + '\0', 136);
  h.fill(0x20, 148, 156);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** The original config with the one layer and a history that says how it was made. */
function strippedConfig(original: Buffer, plan: StripPlan, diffId: string, epoch: number): Buffer {
  const config = JSON.parse(original.toString('utf8')) as Record<string, unknown>;
  const created = new Date(epoch * 1000).toISOString();
  const t = plan.totals;
  config['created'] = created;
  config['rootfs'] = { type: 'layers', diff_ids: [diffId] };
  config['history'] = [
    {
      created,
      created_by: `fathom strip (${plan.roots.join(', ')})`,
      comment: `kept ${t.afterFiles} of ${t.beforeFiles} files, ${t.afterBytes} of ${t.beforeBytes} bytes; profiles: ${plan.profiles.filter((p) => p.on).map((p) => p.name).join(', ') || 'none'}`,
    },
  ];
  return Buffer.from(JSON.stringify(config));
}

interface Member {
  readonly name: string;
  readonly data: Buffer;
}

/** The members after the layer, as a tar whose end-of-archive blocks end the file. */
async function writeMembers(members: readonly Member[], out: SyncFile, mtime: Date): Promise<void> {
  const pack = tar.pack();
  pack.on('data', (c: unknown) => out.write(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const m of members) {
    await new Promise<void>((resolve, reject) => {
      pack.entry({ name: m.name, mode: 0o644, uid: 0, gid: 0, mtime, size: m.data.length, type: 'file' }, m.data, (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await ended;
}

const sha256 = (b: Buffer) => 'sha256:' + createHash('sha256').update(b).digest('hex');
const hex = (d: string) => d.slice('sha256:'.length);

/** docker save: `<diff_id>/layer.tar` first, then the config and manifest.json. */
function dockerMembers(diffId: string, config: Buffer, tag: string | undefined): { layerName: string; members: Member[] } {
  const configName = `${hex(sha256(config))}.json`;
  const layerName = `${hex(diffId)}/layer.tar`;
  const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: tag ? [tag] : [], Layers: [layerName] }]));
  return { layerName, members: [{ name: configName, data: config }, { name: 'manifest.json', data: manifest }] };
}

/** An OCI image layout: the layer blob first, then the config, the manifest, index.json and oci-layout. */
function ociMembers(diffId: string, layerSize: number, config: Buffer, tag: string | undefined): { layerName: string; members: Member[] } {
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: diffId, size: layerSize }],
    }),
  );
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length, ...(tag ? { annotations: { 'org.opencontainers.image.ref.name': tag } } : {}) }],
    }),
  );
  return {
    layerName: `blobs/sha256/${hex(diffId)}`,
    members: [
      { name: `blobs/sha256/${hex(sha256(config))}`, data: config },
      { name: `blobs/sha256/${hex(sha256(manifest))}`, data: manifest },
      { name: 'index.json', data: index },
      { name: 'oci-layout', data: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
    ],
  };
}

/**
 * Write the stripped image: one uncompressed layer on scratch, the original config and a history entry, in
 * `docker save` form (or an OCI archive). Deterministic: the same source and plan give the same bytes. Work files
 * live in a fresh directory beside the output and are removed; the output appears whole or not at all (a rename),
 * and not at all when `verify` objects to it.
 */
export async function writeStrippedImage(plan: StripPlan, image: Image, tree: MergedTree, opts: WriteOptions): Promise<WrittenImage> {
  let work: string;
  try {
    work = await mkdtemp(join(dirname(opts.output), '.fathom-strip-'));
  } catch (err) {
    throw new ConfigError(`${opts.output}: cannot write there (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const wanted = new Map<number, Set<string>>();
    for (const k of plan.kept) {
      const c = contentOf(tree, k);
      const want = (layer: number, path: string) => (wanted.get(layer) ?? wanted.set(layer, new Set()).get(layer)!).add(path);
      if (c && c.size > 0) want(c.layer, c.path);
      if (k.entry?.kind === 'char' || k.entry?.kind === 'block') want(k.entry.layer, k.path);
    }
    const bytes = await opts.source(image, wanted, work);
    const mtime = new Date(opts.epoch * 1000);
    const partial = join(work, 'out.tar');
    const fd = openSync(partial, 'w', 0o644);
    let id: string;
    let layer: { diffId: string; size: number };
    try {
      const out = syncFile(fd);
      // the layer streams straight into the archive after a header written once its digest and size are known
      out.write(Buffer.alloc(512));
      try {
        layer = await writeLayer(plan, tree, bytes, out, mtime);
      } finally {
        await bytes.close();
      }
      out.write(Buffer.alloc((512 - (layer.size % 512)) % 512));
      const config = strippedConfig(bytes.config, plan, layer.diffId, opts.epoch);
      id = sha256(config);
      const { layerName, members } = opts.format === 'oci' ? ociMembers(layer.diffId, layer.size, config, opts.tag) : dockerMembers(layer.diffId, config, opts.tag);
      out.writeAt(ustarFileHeader(layerName, layer.size, opts.epoch), 0);
      await writeMembers(members, out, mtime);
    } finally {
      closeSync(fd);
    }
    const archiveBytes = (await stat(partial)).size;
    const refused = opts.verify ? await opts.verify(partial) : [];
    if (refused.length === 0) await rename(partial, opts.output);
    return { id, diffId: layer.diffId, layerBytes: layer.size, archiveBytes, refused };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
