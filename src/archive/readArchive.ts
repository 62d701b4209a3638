import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { InputError } from '../errors.js';
import { decompress, looksLikeTar, sniffCompression } from '../layer/compression.js';
import { tarEntries } from '../tar/tarEntries.js';
import { readLayerBlob } from '../layer/readLayer.js';
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
  (event: { readonly bytes: number; readonly entry: string }): void;
}

function archivePath(name: string): string {
  const p = posix.normalize(name).replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  return p.endsWith('/') ? p.slice(0, -1) : p;
}

/** Collect at least `want` bytes from the start of an entry (fewer only at its end). */
async function peek(
  it: AsyncIterator<Buffer>,
  want: number,
): Promise<{ head: Buffer; chunks: Buffer[]; done: boolean }> {
  const chunks: Buffer[] = [];
  let len = 0;
  while (len < want) {
    const r = await it.next();
    if (r.done) return { head: Buffer.concat(chunks), chunks, done: true };
    chunks.push(r.value);
    len += r.value.length;
  }
  return { head: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), chunks, done: false };
}

async function* replay(chunks: Buffer[], it: AsyncIterator<Buffer>, done: boolean): AsyncGenerator<Buffer> {
  yield* chunks;
  if (done) return;
  for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
}

function isJsonStart(head: Buffer): boolean {
  for (const b of head) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b || b === 0x5b; // { or [
  }
  return false;
}

/**
 * One pass over an image archive (optionally gzip-compressed as a whole). Layer blobs are recognised by their
 * magic bytes and read as they stream past, whatever their name and wherever the manifest sits; JSON files are
 * kept as text; nothing is written to disk.
 */
export async function readArchive(
  input: AsyncIterable<Buffer>,
  name: string,
  onProgress?: ArchiveProgress,
  filePath?: string,
): Promise<ArchiveContents> {
  const metadata = new Map<string, MetadataFile>();
  const layers = new Map<string, LayerBlob>();
  const digests = new Map<string, string>();
  const links = new Map<string, string>();
  const paths = new PathTable();
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
  const it = counted()[Symbol.asyncIterator]();
  const first = await peek(it, 512);
  if (first.head.length === 0) throw new InputError(`${name}: empty file, not an image archive`);
  const compressed = sniffCompression(first.head) === 'gzip';
  if (!compressed && sniffCompression(first.head) === 'zstd') {
    throw new InputError(`${name}: a zstd-compressed archive; decompress it first (zstd -d)`);
  }
  if (!compressed && !looksLikeTar(first.head)) {
    throw new InputError(`${name}: not an image archive (neither a tar nor a gzip-compressed tar)`);
  }
  const outer = decompress(replay(first.chunks, it, first.done), compressed ? 'gzip' : 'none', name);

  for await (const { header, body } of tarEntries(outer, name)) {
    entries++;
    const path = archivePath(header.name);
    current = path;
    if (header.type === 'symlink' || header.type === 'link') {
      const target = header.type === 'symlink' ? posix.join(posix.dirname(path), header.linkname) : header.linkname;
      links.set(path, archivePath(target));
      continue;
    }
    if (header.type !== 'file' && header.type !== 'contiguous-file') continue;
    const src = body[Symbol.asyncIterator]();
    const p = await peek(src, 512);
    const kind = sniffCompression(p.head);
    const tarLike = kind !== 'none' || looksLikeTar(p.head) || (p.head.length >= 512 && p.head.every((b) => b === 0));
    if (tarLike && header.size > 0) {
      // in a plain (not gzip'd) archive file the blob's bytes sit at the entry's data offset
      const range = filePath && !compressed ? { path: filePath, offset: header.byteOffset, size: header.size } : undefined;
      const blob = await readLayerBlob(replay(p.chunks, src, p.done), `${name}: ${path}`, range, paths);
      layers.set(path, blob);
      digests.set(path, blob.digest);
    } else {
      const hash = createHash('sha256');
      const keep = isJsonStart(p.head) && header.size <= MAX_METADATA_BYTES;
      const parts: Buffer[] = [];
      for await (const chunk of replay(p.chunks, src, p.done)) {
        hash.update(chunk);
        if (keep) parts.push(chunk);
      }
      const digest = 'sha256:' + hash.digest('hex');
      digests.set(path, digest);
      if (keep) metadata.set(path, { text: Buffer.concat(parts).toString('utf8'), digest });
    }
  }
  if (entries === 0) throw new InputError(`${name}: the archive holds no entries`);
  return { metadata, layers, paths, digests, links, compressed };
}
