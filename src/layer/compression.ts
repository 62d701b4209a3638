import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream';
import { Readable } from 'node:stream';
import { Decompress as ZstdDecompress } from 'fzstd';
import type { Compression } from '../model/types.js';
import { InputError } from '../model/errors.js';

const ZLIB_CHUNK = 1 << 20;

/** Sniff by magic bytes, never by name. */
export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

export function looksLikeTar(head: Uint8Array): boolean {
  if (head.length < 263) return false;
  const magic = Buffer.from(head.subarray(257, 262)).toString('latin1');
  return magic === 'ustar';
}

/**
 * Decompress a chunk stream. gzip goes through node's zlib with 1 MiB chunks (multi-member streams such as
 * estargz are handled by zlib); zstd goes through fzstd, a pure-JS streaming decoder that installs from the npm
 * registry with nothing else to download and works on stdin too (no child process, no temp file).
 */
export async function* decompress(source: AsyncIterable<Buffer>, kind: Compression, what: string): AsyncGenerator<Buffer> {
  if (kind === 'none') {
    yield* source;
    return;
  }
  if (kind === 'gzip') {
    const gunzip = createGunzip({ chunkSize: ZLIB_CHUNK });
    const out = pipeline(Readable.from(source, { objectMode: false, highWaterMark: ZLIB_CHUNK }), gunzip, () => {});
    try {
      for await (const chunk of out) yield chunk as Buffer;
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`${what}: corrupt gzip stream (${(err as Error).message})`);
    }
    return;
  }
  yield* zstdChunks(source, what);
}

async function* zstdChunks(source: AsyncIterable<Buffer>, what: string): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  // fzstd skips skippable frames (zstd:chunked keeps its table of contents in one) and reads frame after frame
  const decoder = new ZstdDecompress((data) => {
    pending.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
  const fail = (err: unknown): never => {
    throw new InputError(`${what}: corrupt zstd stream (${(err as Error).message})`);
  };
  for await (const chunk of source) {
    try {
      decoder.push(chunk);
    } catch (err) {
      fail(err);
    }
    if (pending.length > 0) {
      const out = pending;
      pending = [];
      yield* out;
    }
  }
  try {
    decoder.push(new Uint8Array(0), true);
  } catch (err) {
    fail(err);
  }
  yield* pending;
}
