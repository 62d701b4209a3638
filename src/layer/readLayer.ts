import xxhash from 'xxhash-wasm';
import type { LayerBlob } from '../model/imageDescription.js';
import type { Compression } from '../model/imageTypes.js';
import { InputError } from '../errors.js';
import { Kind, type KindCode } from '../model/kinds.js';
import { LayerEntries } from '../model/layerEntries.js';
import { PathTable } from '../model/pathTable.js';
import { decompress, looksLikeTar, sniffCompression } from './compression.js';
import { capturesText, ContentProbeCollector } from './contentProbe.js';
import { normalizeTarPath, parseWhiteout } from './tarPath.js';
import { TarParser } from '../tar/tarParser.js';
import type { TarEntryType } from '../tar/tarHeader.js';
import { hashFileRange, ParallelSha256 } from './parallelSha256.js';

const hasher = xxhash();
const EMPTY = new Uint8Array(0);

/** tar entry types → the model's kind codes (others, such as GNU sparse or volume headers, are skipped) */
const KINDS: Partial<Record<TarEntryType, KindCode>> = {
  file: Kind.file,
  'contiguous-file': Kind.file,
  directory: Kind.dir,
  symlink: Kind.symlink,
  link: Kind.hardlink,
  'character-device': Kind.char,
  'block-device': Kind.block,
  fifo: Kind.fifo,
};

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
  // the member being read: its fields wait for the end of its content, when its hash is known
  let path = '';
  let kind: KindCode | -1 = -1;
  let mode = 0;
  let uid = 0;
  let gid = 0;
  let fileSize = 0;
  // most files arrive in one chunk: hash those in one call and create a streaming hasher only for the rest
  let first: Buffer | undefined;
  let h: ReturnType<typeof create64> | undefined;
  let probe: ContentProbeCollector | undefined;
  const parser = new TarParser(what, {
    entry(header) {
      size += header.size;
      kind = -1;
      path = normalizeTarPath(header.name);
      if (path === '/') return;
      const wh = parseWhiteout(path);
      if (wh) {
        if (wh.kind === 'whiteout') files.addWhiteout(wh.target);
        else if (wh.kind === 'opaque') files.addOpaque(wh.dir);
        return;
      }
      const k = KINDS[header.type];
      if (k === undefined) return;
      mode = header.mode & 0o7777;
      uid = header.uid;
      gid = header.gid;
      if (k !== Kind.file) {
        const link = k === Kind.symlink ? header.linkname : k === Kind.hardlink ? normalizeTarPath(header.linkname) : undefined;
        files.addFile(path, k, mode, uid, gid, header.size, link, undefined, undefined);
        return;
      }
      kind = k;
      fileSize = header.size;
      first = undefined;
      h = undefined;
      probe = new ContentProbeCollector(capturesText(path));
    },
    data(chunk) {
      if (kind !== Kind.file) return;
      probe!.update(chunk);
      if (h) h.update(chunk);
      else if (first === undefined) first = chunk;
      else {
        h = create64().update(first).update(chunk);
        first = undefined;
      }
    },
    end() {
      if (kind !== Kind.file) return;
      const hash = h ? h.digest() : h64Raw(first ?? EMPTY);
      files.addFile(path, kind, mode, uid, gid, fileSize, undefined, hash, probe!.finish());
      first = undefined;
      h = undefined;
      probe = undefined;
    },
  });
  for await (const chunk of uncompressed()) parser.write(chunk);
  parser.finish();
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
