import type { Header } from 'tar-stream';
import xxhash from 'xxhash-wasm';
import type { Compression, ContentProbe, FileEntry, FileKind, LayerEntry } from '../model/types.js';
import { InputError } from '../model/errors.js';
import { decompress, looksLikeTar, sniffCompression } from './compression.js';
import { capturesText, ContentProbeCollector } from './contentProbe.js';
import { normalizeTarPath, parseWhiteout } from './tarPath.js';
import { feedTar } from './feedTar.js';
import { hashFileRange, ParallelSha256 } from './parallelSha256.js';

/** What one layer blob holds, read in one streaming pass. */
export interface LayerBlob {
  /** sha256 of the blob as stored. */
  readonly digest: string;
  /** sha256 of the uncompressed tar. */
  readonly diffId: string;
  readonly compression: Compression;
  readonly compressedSize: number;
  /** Σ of every tar header's size, as dive counts a layer. */
  readonly size: number;
  readonly entries: LayerEntry[];
}

const hasher = xxhash();
const EMPTY = new Uint8Array(0);

const KINDS: Partial<Record<Header['type'], FileKind>> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'dir',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'char',
  'block-device': 'block',
  fifo: 'fifo',
};

/** Every entry gets the same shape, so V8 keeps them compact (memory per entry is a budget: issue #2). */
function fileEntry(
  path: string,
  kind: FileKind,
  mode: number,
  uid: number,
  gid: number,
  size: number,
  link: string | undefined,
  hash: string | undefined,
  probe: ContentProbe | undefined,
): FileEntry {
  return { type: 'entry', path, kind, mode, uid, gid, size, link, hash, probe, layer: -1, hiddenBy: -1, hiddenHow: undefined };
}

function paxNumber(header: Header, key: string, fallback: number): number {
  const pax = header.pax as Record<string, string> | null | undefined;
  const v = pax?.[key];
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? n : fallback;
}

/**
 * Read one layer blob (plain tar, gzip or zstd — sniffed by magic bytes) into its entries.
 * Content is hashed as it streams (xxh64 per file, sha256 over the blob and over the tar), never kept.
 */
/** Where a blob sits verbatim in a plain archive file, so its digests can be taken by reading the file. */
export interface FileRange {
  readonly path: string;
  readonly offset: number;
  readonly size: number;
}

export async function readLayerBlob(source: AsyncIterable<Buffer>, what: string, range?: FileRange): Promise<LayerBlob> {
  const { create64, h64Raw } = await hasher;
  // from a file, the worker re-reads the blob itself (gunzipping it too): nothing is copied on this thread
  const rawHash = range ? undefined : new ParallelSha256();
  let fromFile: Promise<{ raw: string; tar: string | undefined }> | undefined;
  // for an uncompressed blob the tar is the blob: one hash serves both digests
  let tarHash: ParallelSha256 | undefined;
  let compressedSize = 0;
  let compression: Compression = 'none';
  let sniffed = false;

  async function* raw(): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      const wait = rawHash?.update(chunk);
      if (wait) await wait;
      compressedSize += chunk.length;
      yield chunk;
    }
  }
  async function* uncompressed(): AsyncGenerator<Buffer> {
    const it = raw()[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) throw new InputError(`${what}: empty layer blob`);
    compression = sniffCompression(first.value);
    sniffed = true;
    if (range) fromFile = hashFileRange(range.path, range.offset, range.size, compression === 'gzip');
    if (compression === 'zstd' || (compression === 'gzip' && !range)) tarHash = new ParallelSha256();
    async function* rest(): AsyncGenerator<Buffer> {
      yield first.value as Buffer;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    }
    let checkedTar = compression !== 'none';
    for await (const chunk of decompress(rest(), compression, what)) {
      if (!checkedTar) {
        // a plain blob must be a tar; a short first chunk is checked by the tar parser instead
        if (chunk.length >= 263 && !looksLikeTar(chunk) && !chunk.subarray(0, 512).every((b) => b === 0)) {
          throw new InputError(`${what}: not a tar, gzip or zstd layer`);
        }
        checkedTar = true;
      }
      if (tarHash) {
        const wait = tarHash.update(chunk);
        if (wait) await wait;
      }
      yield chunk;
    }
  }

  const entries: LayerEntry[] = [];
  let size = 0;
  await feedTar(uncompressed(), what, (header, stream, next) => {
    size += header.size;
    const path = normalizeTarPath(header.name);
    const drain = () => {
      stream.on('end', next);
      stream.resume();
    };
    if (path === '/') return drain();
    const wh = parseWhiteout(path);
    if (wh) {
      if (wh.kind === 'whiteout') {
        entries.push({ type: 'whiteout', path: wh.target, synthetic: false, layer: -1, deletedSize: 0, missing: false });
      } else if (wh.kind === 'opaque') {
        entries.push({ type: 'opaque', path: wh.dir, layer: -1 });
      }
      return drain();
    }
    const kind = KINDS[header.type];
    if (!kind) return drain();
    const mode = header.mode & 0o7777;
    const uid = paxNumber(header, 'uid', header.uid);
    const gid = paxNumber(header, 'gid', header.gid);
    if (kind !== 'file') {
      const link = kind === 'symlink' ? header.linkname ?? '' : kind === 'hardlink' ? normalizeTarPath(header.linkname ?? '') : undefined;
      entries.push(fileEntry(path, kind, mode, uid, gid, header.size, link, undefined, undefined));
      return drain();
    }
    // most files arrive in one chunk: hash those in one call and create a streaming hasher only for the rest
    let first: Buffer | undefined;
    let h: ReturnType<typeof create64> | undefined;
    const probe = new ContentProbeCollector(capturesText(path));
    stream.on('data', (chunk: Buffer) => {
      probe.update(chunk);
      if (h) h.update(chunk);
      else if (first === undefined) first = chunk;
      else {
        h = create64().update(first).update(chunk);
        first = undefined;
      }
    });
    stream.on('end', () => {
      const digest = h ? h.digest() : h64Raw(first ?? EMPTY);
      const hash = digest.toString(16).padStart(16, '0');
      entries.push(fileEntry(path, kind, mode, uid, gid, header.size, undefined, hash, probe.finish()));
      next();
    });
  });
  if (!sniffed) throw new InputError(`${what}: empty layer blob`);
  const file = await fromFile?.catch((err: Error) => {
    throw new InputError(`${what}: cannot re-read the blob for its digest (${err.message})`);
  });
  const digest = file ? file.raw : await rawHash!.digest();
  return {
    digest,
    diffId: tarHash ? await tarHash.digest() : (file?.tar ?? digest),
    compression,
    compressedSize,
    size,
    entries,
  };
}
