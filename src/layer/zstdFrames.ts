import { Decompress } from 'fzstd';
import xxhash from 'xxhash-wasm';
import { InputError } from '../errors.js';

/**
 * zstd in JavaScript, for machines without the `zstd` binary: a walker over the frame format (RFC 8878) that hands
 * fzstd one block at a time. fzstd alone decodes a whole pushed chunk before it returns (a 322 KB layer of one 10 GB
 * zero file peaked at 9.7 GB), allocates a frame's claimed content size up front, reads a 64-bit size through 32-bit
 * arithmetic and accepts a bad content checksum. Here:
 * - a block decodes to at most 128 KiB, and output leaves in pieces of about 1 MiB: memory is bounded whatever the
 *   ratio;
 * - fzstd sees a frame header of this walker's making: no content size, no checksum, the frame's window — so it
 *   never allocates more than the window, which is capped as `zstd -d` caps it (128 MiB without --long);
 * - the content size a frame declares and its xxh64 content checksum are checked here, as the binary checks them.
 */

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
/** Block_Maximum_Size: no block regenerates more. */
const MAX_BLOCK = 128 << 10;
/** zstd -d's default memory limit (ZSTD_WINDOWLOG_LIMIT_DEFAULT = 27). */
const MAX_WINDOW = 1 << 27;
const MIN_WINDOW = 1 << 10;
const OUTPUT_PIECE = 1 << 20;
const FCS_BYTES = [0, 2, 4, 8] as const;
const DICT_BYTES = [0, 1, 2, 4] as const;

const hasher = xxhash();

/** The input as a queue of chunks, read from its front without copying when the bytes lie in one chunk. */
class ByteQueue {
  private chunks: Buffer[] = [];
  private at = 0;
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  byte(i: number): number {
    let k = 0;
    let pos = this.at + i;
    while (pos >= this.chunks[k]!.length) pos -= this.chunks[k++]!.length;
    return this.chunks[k]![pos]!;
  }

  u32(i: number): number {
    return (this.byte(i) | (this.byte(i + 1) << 8) | (this.byte(i + 2) << 16) | (this.byte(i + 3) << 24)) >>> 0;
  }

  /** The next `n` bytes (n ≤ length), removed from the queue. */
  take(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (this.at + n <= first.length) {
      const out = first.subarray(this.at, this.at + n);
      this.drop(n);
      return out;
    }
    const out = new Uint8Array(n);
    for (let filled = 0; filled < n; ) {
      const c = this.chunks[0]!;
      const len = Math.min(n - filled, c.length - this.at);
      out.set(c.subarray(this.at, this.at + len), filled);
      filled += len;
      this.drop(len);
    }
    return out;
  }

  /** Remove up to `n` bytes; returns how many were removed. */
  drop(n: number): number {
    let left = Math.min(n, this.length);
    const removed = left;
    while (left > 0) {
      const room = this.chunks[0]!.length - this.at;
      if (left < room) {
        this.at += left;
        break;
      }
      left -= room;
      this.chunks.shift();
      this.at = 0;
    }
    this.length -= removed;
    return removed;
  }
}

interface FrameHeader {
  readonly length: number;
  readonly window: number;
  /** -1 when the frame does not say. */
  readonly contentSize: number;
  /** The declared size in digits (sizes above 2^53 print exactly). */
  readonly declared: string;
  readonly checksum: boolean;
}

/** A window descriptor (exponent and mantissa) for the smallest window of at least `size` bytes. */
function windowDescriptor(size: number): number {
  for (let exp = 0; exp < 32; exp++) {
    const base = 2 ** (10 + exp);
    for (let mantissa = 0; mantissa < 8; mantissa++) if (base + (base / 8) * mantissa >= size) return (exp << 3) | mantissa;
  }
  return 0xff;
}

class ZstdWalker {
  private readonly q = new ByteQueue();
  private readonly it: AsyncIterator<Buffer>;
  private ended = false;
  private frames = 0;

  constructor(
    source: AsyncIterable<Buffer>,
    private readonly what: string,
    private readonly hash: Awaited<typeof hasher>,
  ) {
    this.it = source[Symbol.asyncIterator]();
  }

  private fail(problem: string): never {
    throw new InputError(`${this.what}: corrupt zstd stream (${problem})`);
  }

  /** Whether `n` bytes are queued, reading more input as needed. */
  private async need(n: number): Promise<boolean> {
    while (this.q.length < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) this.ended = true;
      else this.q.push(r.value);
    }
    return this.q.length >= n;
  }

  async *frames_(): AsyncGenerator<Buffer> {
    for (;;) {
      if (!(await this.need(1))) return;
      if (!(await this.need(4))) this.fail('truncated: the stream ends inside a frame magic number');
      const magic = this.q.u32(0);
      if (((magic & SKIPPABLE_MASK) >>> 0) === SKIPPABLE_MAGIC) {
        await this.skipFrame();
        continue;
      }
      if (magic !== ZSTD_MAGIC) this.fail(this.frames === 0 ? 'not a zstd frame' : `unknown data after frame ${this.frames}`);
      this.frames++;
      yield* this.frame();
    }
  }

  /** A skippable frame (zstd:chunked keeps its table of contents in one): its bytes are passed over, never kept. */
  private async skipFrame(): Promise<void> {
    if (!(await this.need(8))) this.fail('truncated skippable frame header');
    let left = this.q.u32(4);
    this.q.drop(8);
    while (left > 0) {
      if (!(await this.need(1))) this.fail('truncated skippable frame');
      left -= this.q.drop(left);
    }
  }

  private async header(): Promise<FrameHeader> {
    if (!(await this.need(5))) this.fail('truncated frame header');
    const fhd = this.q.byte(4);
    if (fhd & 0x08) this.fail('reserved bit set in the frame header');
    const single = (fhd >> 5) & 1;
    const fcsBytes = FCS_BYTES[fhd >> 6]! || single;
    const dictBytes = DICT_BYTES[fhd & 3]!;
    const length = 5 + (single ? 0 : 1) + dictBytes + fcsBytes;
    if (!(await this.need(length))) this.fail('truncated frame header');
    let at = 5;
    let window = 0;
    if (!single) {
      const wd = this.q.byte(at++);
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    let dictId = 0;
    for (let i = 0; i < dictBytes; i++) dictId += this.q.byte(at++) * 2 ** (8 * i);
    if (dictId !== 0) this.fail(`the frame needs dictionary ${dictId}`);
    let fcs = -1n;
    if (fcsBytes > 0) {
      fcs = fcsBytes === 2 ? 256n : 0n;
      for (let i = 0; i < fcsBytes; i++) fcs += BigInt(this.q.byte(at++)) << BigInt(8 * i);
    }
    const contentSize = Number(fcs);
    if (single) window = contentSize;
    if (window > MAX_WINDOW) this.fail(`a window of ${Math.ceil(window / 2 ** 20)} MiB, above the 128 MiB zstd -d accepts without --long`);
    return { length, window, contentSize, declared: fcs.toString(), checksum: ((fhd >> 2) & 1) === 1 };
  }

  private async *frame(): AsyncGenerator<Buffer> {
    const h = await this.header();
    this.q.drop(h.length);
    // fzstd's own header: no content size (it would allocate it), no checksum (checked here), the frame's window
    const synthetic = Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x00, windowDescriptor(Math.max(h.window, MIN_WINDOW)));
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const xxh = h.checksum ? this.hash.create64() : undefined;
    let decoded = 0;
    const decoder = new Decompress((data) => {
      pending.push(data);
      pendingBytes += data.length;
      decoded += data.length;
      xxh?.update(data);
    });
    let first = true;
    for (let last = false; !last; ) {
      if (!(await this.need(3))) this.fail('truncated: the stream ends inside a block header');
      const bh = this.q.byte(0) | (this.q.byte(1) << 8) | (this.q.byte(2) << 16);
      last = (bh & 1) === 1;
      const type = (bh >> 1) & 3;
      const size = bh >>> 3;
      if (type === 3) this.fail('reserved block type');
      if (size > MAX_BLOCK || (type !== 2 && size > Math.max(h.window, MIN_WINDOW))) this.fail(`a block of ${size} bytes, above the maximum`);
      const stored = 3 + (type === 1 ? 1 : size);
      if (!(await this.need(stored))) this.fail('truncated: the stream ends inside a block');
      const block = this.q.take(stored);
      try {
        decoder.push(first ? concat(synthetic, block) : block, last);
      } catch (err) {
        this.fail((err as Error).message);
      }
      first = false;
      if (h.contentSize >= 0 && decoded > h.contentSize) this.fail(`more content than the ${h.declared} bytes the frame declares`);
      if (pendingBytes >= OUTPUT_PIECE || last) {
        const out = pending.length === 1 ? pending[0]! : concat(...pending);
        pending = [];
        pendingBytes = 0;
        if (out.length > 0) yield Buffer.from(out.buffer, out.byteOffset, out.byteLength);
      }
    }
    if (h.contentSize >= 0 && decoded !== h.contentSize) this.fail(`${decoded} bytes of content, the frame declares ${h.declared}`);
    if (xxh) {
      if (!(await this.need(4))) this.fail('truncated: the stream ends inside the content checksum');
      const want = this.q.u32(0);
      this.q.drop(4);
      const got = Number(xxh.digest() & 0xffffffffn);
      if (got !== want) this.fail('content checksum mismatch');
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Decode a zstd stream (frames and skippable frames, one after another) in bounded pieces. */
export async function* zstdFrames(source: AsyncIterable<Buffer>, what: string): AsyncGenerator<Buffer> {
  yield* new ZstdWalker(source, what, await hasher).frames_();
}
