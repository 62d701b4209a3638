import { Worker } from 'node:worker_threads';

/**
 * sha256 on the second core. Verifying every blob and every diff_id costs ~1 s per GB on one core, as much as
 * reading the archive itself; a worker thread hashes while the main thread decompresses and parses.
 * Bytes travel through a shared ring buffer (one memcpy, no allocation, no structured clone of data); the main thread
 * waits only when the worker is a whole ring behind. Memory is the ring, whatever the archive size.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
// A range is read with readSync on this thread, a piece at a time into one buffer reused for every range: no read
// goes through libuv's thread pool (on a busy machine each hop there waits for a core, and this hash is what the
// load waits for last), and no fresh 1 MiB buffer per read is made (external memory that makes V8 collect every
// ~64 MB read). Between pieces the thread returns to its event loop, so ring updates, cancels and termination are
// seen within a piece. Ranges in progress at once share the buffer: each piece is read and hashed without a turn between.
const PIECE = 1 << 20;
const piece = Buffer.allocUnsafeSlow(PIECE);
const turn = () => new Promise((resolve) => setImmediate(resolve));
const reads = new Map();
async function hashRange(m) {
  const raw = createHash('sha256');
  const job = { cancelled: false };
  reads.set(m.id, job);
  let fd;
  try {
    fd = openSync(m.path, 'r');
    for (let pos = m.offset, end = m.offset + m.size; pos < end; ) {
      const n = readSync(fd, piece, 0, Math.min(PIECE, end - pos), pos);
      if (n === 0) break;
      raw.update(piece.subarray(0, n));
      pos += n;
      await turn();
      if (job.cancelled) throw new Error('cancelled');
    }
  } finally {
    reads.delete(m.id);
    if (fd !== undefined) closeSync(fd);
  }
  return raw.digest('hex');
}
const ring = new Uint8Array(workerData.ring);
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'update') {
    let h = hashes.get(m.id);
    if (!h) { h = createHash('sha256'); hashes.set(m.id, h); }
    h.update(ring.subarray(m.start, m.start + m.len));
    parentPort.postMessage({ type: 'ack', len: m.len });
  } else if (m.type === 'shared') {
    let h = hashes.get(m.id);
    if (!h) { h = createHash('sha256'); hashes.set(m.id, h); }
    h.update(new Uint8Array(m.sab, m.start, m.len));
    parentPort.postMessage({ type: 'shared', seq: m.seq });
  } else if (m.type === 'range') {
    hashRange(m).then(
      (hex) => parentPort.postMessage({ type: 'range', id: m.id, raw: hex }),
      (e) => parentPort.postMessage({ type: 'range', id: m.id, error: String(e && e.message || e) }),
    );
  } else if (m.type === 'cancel') {
    const job = reads.get(m.id); if (job) job.cancelled = true;
  } else if (m.type === 'drop') {
    hashes.delete(m.id);
  } else if (m.type === 'digest') {
    const h = hashes.get(m.id) ?? createHash('sha256');
    hashes.delete(m.id);
    parentPort.postMessage({ type: 'digest', id: m.id, hex: h.digest('hex') });
  }
});
`;

const RING_BYTES = 8 << 20;
const MAX_PIECE = 4 << 20;

interface Pool {
  worker: Worker;
  ring: Uint8Array;
  head: number;
  used: number;
  waiters: Array<() => void>;
  digests: Map<number, (hex: string) => void>;
  ranges: Map<number, (r: { raw?: string; error?: string }) => void>;
  /** Bytes in shared memory being hashed where they are, by sequence number: each settles when the worker is done. */
  shared: Map<number, () => void>;
  /** Promises waiting on the worker: only these keep the process alive (an abandoned hash must not). */
  waiting: number;
  /** Settles once the worker's thread has its isolate (it runs, or it failed to start). */
  booted: Promise<void>;
}

function wait(p: Pool): void {
  if (p.waiting++ === 0) p.worker.ref();
}

function done(p: Pool): void {
  if (--p.waiting === 0) p.worker.unref();
}

let pool: Pool | undefined;
let nextId = 1;

function getPool(): Pool {
  if (pool) return pool;
  const sab = new SharedArrayBuffer(RING_BYTES);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ring: sab } });
  const booted = new Promise<void>((settle) => {
    worker.once('online', settle);
    worker.once('error', () => settle());
    worker.once('exit', () => settle());
  });
  const p: Pool = { worker, ring: new Uint8Array(sab), head: 0, used: 0, waiters: [], digests: new Map(), ranges: new Map(), shared: new Map(), waiting: 0, booted };
  worker.on('message', (m: { type: string; len?: number; id?: number; hex?: string; raw?: string; error?: string; seq?: number }) => {
    if (m.type === 'shared') {
      const settle = p.shared.get(m.seq!);
      p.shared.delete(m.seq!);
      settle?.();
    } else if (m.type === 'ack') {
      p.used -= m.len!;
      const w = p.waiters;
      p.waiters = [];
      for (const wake of w) wake();
    } else if (m.type === 'range') {
      const settle = p.ranges.get(m.id!);
      p.ranges.delete(m.id!);
      settle?.(m);
    } else if (m.type === 'digest') {
      const done = p.digests.get(m.id!);
      p.digests.delete(m.id!);
      done?.(m.hex!);
    }
  });
  worker.unref();
  pool = p;
  return p;
}

/**
 * Start the worker now rather than at the first blob: its start-up (a Node environment of its own, tens of ms) then
 * overlaps the main thread's (modules, configuration) instead of delaying the first digest. Idle, it keeps nothing
 * alive.
 */
export function startDigestWorker(): void {
  getPool();
}

/**
 * Settles once the digest worker (if one was started) has its isolate. V8's flags are process-wide and not guarded:
 * changing them (node:v8 setFlagsFromString) while a worker's isolate is being set up can abort the process in V8's
 * own consistency checks (seen once in CI: "cppheap_concurrent_marking implies cppheap_incremental_marking"), so
 * whoever changes flags waits for this first.
 */
export async function digestWorkerBooted(): Promise<void> {
  const p = pool;
  if (!p) return;
  wait(p); // an unref'd worker's start-up alone would not keep the process alive to see it
  try {
    await p.booted;
  } finally {
    done(p);
  }
}

/**
 * Whether the worker still has file ranges to hash: a blob that starts then would queue behind them, while the
 * reading thread (which waits for nothing else) has time to hash it as it parses.
 */
export function digestWorkerBehind(): boolean {
  return pool !== undefined && pool.ranges.size > 0;
}

export class ParallelSha256 {
  private readonly id = nextId++;
  private readonly pool = getPool();

  /** Returns a promise only when the ring is full and the caller must wait for the worker. */
  update(chunk: Uint8Array): Promise<void> | undefined {
    let off = 0;
    while (off < chunk.length) {
      const p = this.pool;
      const room = RING_BYTES - p.used;
      if (room === 0) return this.waitThen(chunk.subarray(off));
      // contiguous space from head, never across the end of the ring
      const len = Math.min(chunk.length - off, MAX_PIECE, room, RING_BYTES - p.head);
      p.ring.set(chunk.subarray(off, off + len), p.head);
      p.worker.postMessage({ type: 'update', id: this.id, start: p.head, len });
      p.head = (p.head + len) % RING_BYTES;
      p.used += len;
      off += len;
    }
    return undefined;
  }

  private waitThen(rest: Uint8Array): Promise<void> {
    wait(this.pool);
    return new Promise<void>((resolve) =>
      this.pool.waiters.push(() => {
        done(this.pool);
        resolve();
      }),
    ).then(() => this.update(rest));
  }

  /**
   * Hash bytes that live in shared memory where they are, with no copy into the ring: settles when the worker is done
   * with them (they must not change before). Updates of one hash are taken in the order they are made; a hash fed
   * this way is fed only this way (`update` may wait for room in the ring and would then come after).
   */
  updateShared(bytes: Uint8Array): Promise<void> {
    if (!(bytes.buffer instanceof SharedArrayBuffer)) throw new TypeError('updateShared needs bytes in a SharedArrayBuffer');
    const p = this.pool;
    const seq = nextId++;
    wait(p);
    return new Promise<void>((resolve) => {
      p.shared.set(seq, () => {
        done(p);
        resolve();
      });
      p.worker.postMessage({ type: 'shared', id: this.id, seq, sab: bytes.buffer, start: bytes.byteOffset, len: bytes.length });
    });
  }

  /** Forget the hash (a read that failed): the worker frees its state, nothing is waited for. */
  drop(): void {
    this.pool.worker.postMessage({ type: 'drop', id: this.id });
  }

  digest(): Promise<string> {
    wait(this.pool);
    return new Promise<string>((resolve) => {
      this.pool.digests.set(this.id, (hex) => {
        done(this.pool);
        resolve('sha256:' + hex);
      });
      this.pool.worker.postMessage({ type: 'digest', id: this.id });
    });
  }
}

/** A digest being taken in the worker: its result, and a way to stop it (the result then rejects). */
export interface RangeHash {
  readonly digest: Promise<string>;
  cancel(): void;
}

/**
 * sha256 of a byte range of a file, read by the worker itself — the main thread copies nothing. Used when the archive
 * is a plain file: the layer blobs sit in it verbatim.
 */
export function hashFileRange(path: string, offset: number, size: number): RangeHash {
  const pool = getPool();
  const id = nextId++;
  wait(pool);
  const digest = new Promise<string>((resolve, reject) => {
    pool.ranges.set(id, (r) => {
      done(pool);
      if (r.error !== undefined || r.raw === undefined) reject(new Error(r.error ?? 'no digest'));
      else resolve('sha256:' + r.raw);
    });
    pool.worker.postMessage({ type: 'range', id, path, offset, size });
  });
  return { digest, cancel: () => pool.worker.postMessage({ type: 'cancel', id }) };
}
