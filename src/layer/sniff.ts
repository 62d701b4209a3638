import type { Compression } from '../model/imageTypes.js';
import { BLOCK, checksumMatches, isZeroBlock } from '../tar/tarHeader.js';

/**
 * What a stream holds, told from its first bytes (by magic, never by name), and the way to look at those bytes
 * without losing them: `peek` returns them and the whole stream again.
 */

export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

const USTAR_MAGIC = 257;

/**
 * A tar starts with a ustar header, a plain v7 header (no magic: a name and a checksum that matches), or the zero
 * block that ends an empty one. The same test holds before and after decompression.
 */
export function looksLikeTar(head: Uint8Array): boolean {
  if (head.length >= USTAR_MAGIC + 5 && Buffer.from(head.subarray(USTAR_MAGIC, USTAR_MAGIC + 5)).toString('latin1') === 'ustar') return true;
  if (head.length < BLOCK) return false;
  return isZeroBlock(head, 0) || (head[0] !== 0 && checksumMatches(head, 0));
}

/** The first `want` bytes of a stream (fewer only when it is shorter), and a stream of all of it again. */
export async function peek(source: AsyncIterable<Buffer>, want: number): Promise<{ head: Buffer; stream: AsyncIterable<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < want) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    chunks.push(r.value);
    length += r.value.length;
  }
  return { head: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), stream: replay(chunks, it, done) };
}

async function* replay(chunks: Buffer[], it: AsyncIterator<Buffer>, done: boolean): AsyncGenerator<Buffer> {
  yield* chunks;
  if (done) return;
  for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
}
