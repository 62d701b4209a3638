import type { Header } from 'tar-stream';
import xxhash from 'xxhash-wasm';
import type { Compression } from '../model/types.js';
import { InputError } from '../model/errors.js';
import { DIR, FILE, HARDLINK, LayerEntries, SYMLINK } from '../model/layerEntries.js';
import { PathTable } from '../model/pathTable.js';
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
  readonly files: LayerEntries;
}

const hasher = xxhash();
const EMPTY = new Uint8Array(0);

/** tar entry types → the model's kind codes (others, such as GNU sparse or volume headers, are skipped) */
const KINDS: Partial<Record<Header['type'], number>> = {
  file: FILE,
  'contiguous-file': FILE,
  directory: DIR,
  symlink: SYMLINK,
  link: HARDLINK,
  'character-device': 4,
  'block-device': 5,
  fifo: 6,
};

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

export async function readLayerBlob(
  source: AsyncIterable<Buffer>,
  what: string,
  range?: FileRange,
  paths: PathTable = new PathTable(),
): Promise<LayerBlob> {
  const { create64, h64Raw } = await hasher;
  // from a file, the worker re-reads the blob itself for its digest: the compressed bytes are never copied here
  const rawHash = range ? undefined : new ParallelSha256();
  let fromFile: Promise<string> | undefined;
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
    if (range) fromFile = hashFileRange(range.path, range.offset, range.size);
    // the decompressed bytes reach the worker through the ring: one copy here is far cheaper than a second gunzip there
    if (compression !== 'none') tarHash = new ParallelSha256();
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

  const files = new LayerEntries(paths);
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
      if (wh.kind === 'whiteout') files.addWhiteout(wh.target);
      else if (wh.kind === 'opaque') files.addOpaque(wh.dir);
      return drain();
    }
    const kind = KINDS[header.type];
    if (kind === undefined) return drain();
    const mode = header.mode & 0o7777;
    const uid = paxNumber(header, 'uid', header.uid);
    const gid = paxNumber(header, 'gid', header.gid);
    if (kind !== FILE) {
      const link = kind === SYMLINK ? header.linkname ?? '' : kind === HARDLINK ? normalizeTarPath(header.linkname ?? '') : undefined;
      files.addFile(path, kind, mode, uid, gid, header.size, link, undefined, undefined);
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
      const hash = h ? h.digest() : h64Raw(first ?? EMPTY);
      files.addFile(path, kind, mode, uid, gid, header.size, undefined, hash, probe.finish());
      next();
    });
  });
  if (!sniffed) throw new InputError(`${what}: empty layer blob`);
  const fileDigest = await fromFile?.catch((err: Error) => {
    throw new InputError(`${what}: cannot re-read the blob for its digest (${err.message})`);
  });
  const digest = fileDigest ?? (await rawHash!.digest());
  return {
    digest,
    diffId: tarHash ? await tarHash.digest() : digest,
    compression,
    compressedSize,
    size,
    files,
  };
}
