import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { InputError, rethrowAt } from '../errors.js';
import { decompress } from '../layer/compression.js';
import { looksLikeTar, peek, sniffCompression } from '../layer/sniff.js';
import { BLOCK, type TarHeader } from '../tar/tarHeader.js';
import { tarEntries } from '../tar/tarEntries.js';
import { readLayerTar, type ReadLayer } from '../layer/readLayer.js';
import type { LayerBlob } from '../model/imageDescription.js';
import { PathTable } from '../model/pathTable.js';

/** JSON-ish files up to this size are kept as text (manifests, configs, indexes); they are tiny in practice. */
const MAX_METADATA_BYTES = 64 << 20;

export interface MetadataFile {
  readonly text: string;
  readonly digest: string;
}

/** Everything one pass over the outer tar learned, keyed by the entry's path in the archive. */
export interface ArchiveContents {
  readonly metadata: Map<string, MetadataFile>;
  readonly layers: Map<string, LayerBlob>;
  /** Every path any layer blob names, interned once for all of them. */
  readonly paths: PathTable;
  /** sha256 of every regular entry as stored, to check names and descriptors. */
  readonly digests: Map<string, string>;
  /** Symlink and hard-link entries of the outer tar (podman's `<id>/layer.tar -> ../<diffid>.tar`). */
  readonly links: Map<string, string>;
  /** Whether the archive itself was gzip-compressed (`docker save | gzip`). */
  readonly compressed: boolean;
}

export interface ArchiveProgress {
  /** `total` when the source knows it only once reading began (a registry's manifest). */
  (event: { readonly bytes: number; readonly entry: string; readonly total?: number }): void;
}

function archivePath(name: string): string {
  const p = posix.normalize(name).replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  return p.endsWith('/') ? p.slice(0, -1) : p;
}

function isJsonStart(head: Buffer): boolean {
  for (const b of head) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b || b === 0x5b; // { or [
  }
  return false;
}

/**
 * End the input when the read stops early (a bad archive): a generator over a file closes its descriptor in its
 * `finally`, which runs only when it is finished or returned — otherwise the descriptor waits for the collector.
 */
async function release(input: AsyncIterable<Buffer>): Promise<void> {
  const it = input as Partial<AsyncIterator<Buffer>>;
  if (typeof it.return === 'function') await it.return(undefined).catch(() => undefined);
}

interface MemberReader {
  readonly name: string;
  readonly filePath: string | undefined;
  readonly compressed: boolean;
  readonly paths: PathTable;
  readonly metadata: Map<string, MetadataFile>;
  readonly layers: Map<string, LayerBlob>;
  readonly digests: Map<string, string>;
  readonly links: Map<string, string>;
  /**
   * Layer blobs read whose digests are still being taken (in the worker, behind the reads): the next member is read
   * meanwhile. Settled in archive order before the pass returns, or before a member of the same path is judged.
   */
  readonly pending: Map<string, ReadLayer>;
}

/** A layer member's digest while it is still being taken: holds the member's place in `digests`. */
const PENDING = '';

/**
 * A read layer's digests, then its checks, as if it had been settled when it was read: the pending layers before it
 * first, so the maps keep archive order (which corrupt blob is reported first depends on it).
 */
async function settle(r: MemberReader, path: string): Promise<void> {
  if (!r.pending.has(path)) return;
  for (const [p, layer] of r.pending) {
    r.pending.delete(p);
    const blob = await layer.finish();
    checkUnique(r, p, blob.digest);
    r.layers.set(p, blob);
    r.digests.set(p, blob.digest);
    if (p === path) return;
  }
}

/**
 * A member whose name an earlier member had: the same bytes twice are harmless, different ones are ambiguous (a
 * member named `manifest.json\0evil` is `manifest.json` to every tar reader, and would silently replace it).
 */
function checkUnique(r: MemberReader, path: string, digest: string): void {
  const before = r.digests.get(path);
  if (before !== undefined && before !== PENDING && before !== digest) throw new InputError(`${r.name}: ${path} appears twice in the archive with different contents`);
  if (r.links.has(path)) throw new InputError(`${r.name}: ${path} appears twice in the archive, as a link and as a file`);
}

/** One member of the outer tar: a link, a layer blob (by its magic bytes) or a file kept as metadata when JSON. */
async function readMember(r: MemberReader, header: TarHeader, path: string, body: AsyncIterable<Buffer>): Promise<void> {
  if (!Number.isSafeInteger(header.size)) throw new InputError(`${r.name}: ${path}: a member size of ${header.size} bytes, above 2^53`);
  await settle(r, path);
  if (header.type === 'symlink' || header.type === 'link') {
    const target = header.type === 'symlink' ? posix.join(posix.dirname(path), header.linkname) : header.linkname;
    if (r.digests.has(path)) throw new InputError(`${r.name}: ${path} appears twice in the archive, as a file and as a link`);
    r.links.set(path, archivePath(target));
    return;
  }
  if (header.type !== 'file' && header.type !== 'contiguous-file') return;
  const p = await peek(body, BLOCK);
  if (header.size > 0 && (sniffCompression(p.head) !== 'none' || looksLikeTar(p.head))) {
    // in a plain (not gzip'd) archive file the blob's bytes sit at the entry's data offset
    const range = r.filePath && !r.compressed ? { path: r.filePath, offset: header.byteOffset, size: header.size } : undefined;
    r.pending.set(path, await readLayerTar(p.stream, `${r.name}: ${path}`, range, r.paths));
    if (!r.digests.has(path)) r.digests.set(path, PENDING);
    return;
  }
  const hash = createHash('sha256');
  const keep = isJsonStart(p.head) && header.size <= MAX_METADATA_BYTES;
  const parts: Buffer[] = [];
  for await (const chunk of p.stream) {
    hash.update(chunk);
    // a copy: the chunk's buffer is reused once the read has moved on (openArchive.ts)
    if (keep) parts.push(Buffer.from(chunk));
  }
  const digest = 'sha256:' + hash.digest('hex');
  checkUnique(r, path, digest);
  r.digests.set(path, digest);
  if (keep) r.metadata.set(path, { text: Buffer.concat(parts).toString('utf8'), digest });
}

/**
 * One pass over an image archive (optionally gzip-compressed as a whole). Layer blobs are recognised by their
 * magic bytes and read as they stream past, whatever their name and wherever the manifest sits; JSON files are
 * kept as text; nothing is written to disk. Paths are interned in `paths`: a table of its own unless the caller
 * shares one between two archives (a diff then compares two images path id by path id).
 */
export async function readArchive(
  input: AsyncIterable<Buffer>,
  name: string,
  onProgress?: ArchiveProgress,
  filePath?: string,
  paths: PathTable = new PathTable(),
): Promise<ArchiveContents> {
  try {
    return await readAll(input, name, onProgress, filePath, paths);
  } finally {
    await release(input);
  }
}

async function readAll(
  input: AsyncIterable<Buffer>,
  name: string,
  onProgress: ArchiveProgress | undefined,
  filePath: string | undefined,
  paths: PathTable,
): Promise<ArchiveContents> {
  const metadata = new Map<string, MetadataFile>();
  const layers = new Map<string, LayerBlob>();
  const digests = new Map<string, string>();
  const links = new Map<string, string>();
  let bytes = 0;
  let current = '';
  let entries = 0;

  const counted = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of input) {
      bytes += chunk.length;
      onProgress?.({ bytes, entry: current });
      yield chunk;
    }
  };
  const first = await peek(counted(), BLOCK);
  if (first.head.length === 0) throw new InputError(`${name}: empty file, not an image archive`);
  const compression = sniffCompression(first.head);
  if (compression === 'zstd') throw new InputError(`${name}: a zstd-compressed archive; decompress it first (zstd -d)`);
  const compressed = compression === 'gzip';
  if (!compressed && !looksLikeTar(first.head)) {
    throw new InputError(`${name}: not an image archive (neither a tar nor a gzip-compressed tar)`);
  }
  const outer = decompress(first.stream, compression, name);

  const pending = new Map<string, ReadLayer>();
  const read: MemberReader = { name, filePath, compressed, paths, metadata, layers, digests, links, pending };
  try {
    for await (const { header, body } of tarEntries(outer, name)) {
      entries++;
      current = archivePath(header.name);
      await readMember(read, header, current, body);
    }
    for (const path of [...pending.keys()]) {
      current = path;
      await settle(read, path);
    }
  } catch (err) {
    // nothing the read began outlives it
    await Promise.all([...pending.values()].map((l) => l.abandon()));
    rethrowAt(current ? `${name}: ${current}` : name, err);
  }
  if (entries === 0) throw new InputError(`${name}: the archive holds no entries`);
  return { metadata, layers, paths, digests, links, compressed };
}
