import { write, writeSync } from 'node:fs';
import { ParallelSha256 } from '../layer/parallelSha256.js';

/** Bytes gathered before a write: tar headers and small files come in hundreds of bytes, a write costs a system call. */
const PIECE = 1 << 20;

/** Pieces waiting to be written (and hashed); past this, `settle()` waits: the memory is about IN_FLIGHT + 1 pieces. */
const IN_FLIGHT = 4;

/** Pieces live in shared memory: the digest worker hashes them where they are (no copy into its ring). */
const newPiece = () => Buffer.from(new SharedArrayBuffer(PIECE));

function writeAll(fd: number, buf: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (done: number) => {
      if (done === buf.length) return resolve();
      write(fd, buf, done, buf.length - done, position + done, (err, n) => (err ? reject(err) : step(done + n)));
    };
    step(0);
  });
}

/**
 * A file written from the front: what is appended is gathered into pieces, and a full piece is written by the thread
 * pool while the main thread fills the next; when a digest is open, the digest worker hashes it in place.
 * The output of strip is the layer's bytes, hashed once (its diff_id) and written once: done synchronously, the
 * reads, the hash and the write took turns on one thread, where now the hash and the write run beside the reads.
 */
export class BufferedFile {
  private current: Buffer = newPiece();
  private used = 0;
  /** The file position of `current`'s first byte. */
  private at = 0;
  private readonly free: Buffer[] = [];
  private readonly writing = new Set<Promise<void>>();
  private failure: Error | undefined;
  /** The last write begun: the next starts after it. */
  private lastWrite: Promise<void> = Promise.resolve();
  /** The open digest: the bytes from where it began to `upTo` are with the worker, `last` its latest update. */
  private digest: { hash: ParallelSha256; upTo: number; last: Promise<void> | undefined } | undefined;

  constructor(private readonly fd: number) {}

  /** Where the next appended byte goes. */
  get position(): number {
    return this.at + this.used;
  }

  append(b: Buffer): void {
    for (let off = 0; off < b.length; ) {
      const n = Math.min(b.length - off, PIECE - this.used);
      b.copy(this.current, this.used, off, off + n);
      this.used += n;
      off += n;
      if (this.used === PIECE) this.rotate();
    }
  }

  /**
   * Append a tar header block written in place: `write(into, at)` fills the zeroed 512 bytes at `into[at]`, or says
   * false (then nothing is appended). Tar members are 512-byte aligned, so a block never straddles two pieces.
   */
  appendBlock(write: (into: Buffer, at: number) => boolean): boolean {
    if (this.used % 512 !== 0) return false;
    const at = this.used;
    this.current.fill(0, at, at + 512);
    if (!write(this.current, at)) return false;
    this.used += 512;
    if (this.used === PIECE) this.rotate();
    return true;
  }

  /**
   * Append `size` bytes that `read(into, at, length)` puts straight into the piece being filled (a pread from the
   * source, no buffer of its own); `read` returns how many it put, never 0.
   */
  async fill(size: number, read: (into: Buffer, at: number, length: number) => number): Promise<void> {
    for (let left = size; left > 0; ) {
      const n = read(this.current, this.used, Math.min(left, PIECE - this.used));
      this.used += n;
      left -= n;
      if (this.used === PIECE) {
        this.rotate();
        await this.settle();
      }
    }
  }

  /** Waits while too many pieces are being written: the bound on memory. Throws the first write's failure. */
  async settle(): Promise<void> {
    while (this.writing.size > IN_FLIGHT) await Promise.race(this.writing);
    if (this.failure) throw this.failure;
  }

  /** From here on, the bytes appended are hashed (sha256) until `endDigest`. */
  beginDigest(): void {
    this.digest = { hash: new ParallelSha256(), upTo: this.position, last: undefined };
  }

  /** The sha256 of the bytes appended since `beginDigest`, as `sha256:<hex>`. */
  async endDigest(): Promise<string> {
    const d = this.digest!;
    this.hashUpTo(this.position);
    this.digest = undefined;
    // the worker takes a hash's updates in order: once the last is done, all are
    await d.last;
    return d.hash.digest();
  }

  /** Writes what is left, waits for every write and overwrites `b` at `position` (an earlier placeholder). */
  async close(rewrite?: { b: Buffer; position: number }): Promise<void> {
    if (this.used > 0) this.rotate();
    await this.drain();
    if (this.failure) throw this.failure;
    if (rewrite) for (let done = 0; done < rewrite.b.length; ) done += writeSync(this.fd, rewrite.b, done, rewrite.b.length - done, rewrite.position + done);
  }

  /** Waits for every write begun, whatever its outcome (before the descriptor is closed on a failure). */
  async drain(): Promise<void> {
    while (this.writing.size > 0) await Promise.race(this.writing);
  }

  /** Hands the bytes up to `position` to the hash, where they lie; settles once the worker is done with them. */
  private hashUpTo(position: number): Promise<void> | undefined {
    const d = this.digest;
    if (!d || position <= d.upTo) return undefined;
    const view = this.current.subarray(d.upTo - this.at, position - this.at);
    d.upTo = position;
    d.last = d.hash.updateShared(view);
    return d.last;
  }

  private rotate(): void {
    const hashed = this.hashUpTo(this.at + this.used);
    const piece = this.current;
    // one write at a time, in order: writes to one file at once queue on its inode's lock, and the threads
    // waiting spin for it (measured: a tenth of the whole run's CPU with four at once, in the kernel's rwsem spin)
    const at = this.at;
    const used = this.used;
    this.lastWrite = this.lastWrite.then(() => writeAll(this.fd, piece.subarray(0, used), at));
    // the piece is free again once written and, if it is, hashed
    const job = Promise.all([this.lastWrite, hashed]).then(
      () => {
        this.free.push(piece);
      },
      (err: Error) => {
        this.failure ??= err;
      },
    );
    const tracked: Promise<void> = job.finally(() => this.writing.delete(tracked));
    this.writing.add(tracked);
    this.at += this.used;
    this.used = 0;
    this.current = this.free.pop() ?? newPiece();
  }
}
