import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MergedTree } from '../analysis/mergedTree.js';
import { ConfigError, InputError } from '../errors.js';
import type { Image } from '../model/imageTypes.js';
import type { KeptPath } from './closure.js';
import type { StripPlan } from './plan.js';
import type { SecondRead, SourceBytes } from './sourceBytes.js';
import { BufferedFile } from './bufferedFile.js';
import { END_OF_ARCHIVE, encodeTarHeader, paddingOf, writeSimpleTarHeader, type WriteHeader } from '../tar/tarWriter.js';

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

const DEVICE_TYPES = { char: 'character-device', block: 'block-device' } as const;

async function headerOf(k: KeptPath, mtime: number, size: number, bytes: SourceBytes): Promise<WriteHeader | undefined> {
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
    const dev = await bytes.device(k.entry!.layer, k.path);
    if (!dev) throw new InputError(`${k.path}: the device of layer ${k.entry!.layer} was not found on the second read (did the file change?)`);
    return { name, type: DEVICE_TYPES[kind], mode, size: 0, devmajor: dev.major, devminor: dev.minor, ...owner };
  }
  return undefined;
}

/**
 * The one layer: every kept path sorted, times fixed, bytes from the source; its sha256 is the diff_id. Each header
 * is encoded and each kept file read straight into the output's buffer (tar-stream's pack cost a stream write, a
 * callback and a promise per entry, and a buffer per file: on 40,000 kept files, more than the bytes themselves).
 */
async function writeLayer(plan: StripPlan, tree: MergedTree, bytes: SourceBytes, out: BufferedFile, mtime: number): Promise<{ diffId: string; size: number }> {
  const start = out.position;
  // how many more times each content is written after this one (a hard link's target is written again)
  const uses = new Map<string, number>();
  const useKey = (c: { layer: number; path: string }) => `${c.layer}\0${c.path}`;
  for (const k of plan.kept) {
    const c = contentOf(tree, k);
    if (c && c.size > 0) uses.set(useKey(c), (uses.get(useKey(c)) ?? 0) + 1);
  }
  out.beginDigest();
  for (const k of plan.kept) {
    if (k.path === '/') continue;
    const content = contentOf(tree, k);
    const size = content?.size ?? 0;
    const h = await headerOf(k, mtime, size, bytes);
    if (!h) continue;
    if (!out.appendBlock((into, at) => writeSimpleTarHeader(h, into, at))) out.append(encodeTarHeader(h));
    if (content && size > 0) {
      const left = uses.get(useKey(content))! - 1;
      uses.set(useKey(content), left);
      await bytes.copyInto(content.layer, content.path, size, out, left > 0);
      out.append(ZEROS.subarray(0, paddingOf(size)));
    }
    await out.settle();
  }
  out.append(END_OF_ARCHIVE);
  const size = out.position - start;
  return { diffId: await out.endDigest(), size };
}

const ZEROS = Buffer.alloc(512);

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

/** The members after the layer, and the end-of-archive blocks that end the file. */
function writeMembers(members: readonly Member[], out: BufferedFile, mtime: number): void {
  for (const m of members) {
    out.append(encodeTarHeader({ name: m.name, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime, size: m.data.length }));
    out.append(m.data);
    out.append(ZEROS.subarray(0, paddingOf(m.data.length)));
  }
  out.append(END_OF_ARCHIVE);
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
    const partial = join(work, 'out.tar');
    const fd = openSync(partial, 'w', 0o644);
    let id: string;
    let layer: { diffId: string; size: number };
    const out = new BufferedFile(fd);
    try {
      // the layer streams straight into the archive after a header written once its digest and size are known
      out.append(ZEROS);
      try {
        layer = await writeLayer(plan, tree, bytes, out, opts.epoch);
      } finally {
        await bytes.close();
      }
      out.append(ZEROS.subarray(0, paddingOf(layer.size)));
      const config = strippedConfig(bytes.config, plan, layer.diffId, opts.epoch);
      id = sha256(config);
      const { layerName, members } = opts.format === 'oci' ? ociMembers(layer.diffId, layer.size, config, opts.tag) : dockerMembers(layer.diffId, config, opts.tag);
      writeMembers(members, out, opts.epoch);
      await out.close({ b: ustarFileHeader(layerName, layer.size, opts.epoch), position: 0 });
    } finally {
      // no write may still be running when the descriptor closes (its number could be another file's by then)
      await out.drain();
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
