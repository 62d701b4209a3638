import { Worker } from 'node:worker_threads';

/**
 * sha256 on the second core. Verifying every blob and every diff_id costs ~1 s per GB on one core, as much as
 * reading the archive itself; a worker thread hashes while the main thread decompresses and parses.
 * Chunks are copied to the worker (a memcpy is ~10x cheaper than the hash) with bounded bytes in flight.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'update') {
    let h = hashes.get(m.id);
    if (!h) { h = createHash('sha256'); hashes.set(m.id, h); }
    h.update(new Uint8Array(m.buf));
    parentPort.postMessage({ type: 'ack', bytes: m.buf.byteLength });
  } else if (m.type === 'digest') {
    const h = hashes.get(m.id) ?? createHash('sha256');
    hashes.delete(m.id);
    parentPort.postMessage({ type: 'digest', id: m.id, hex: h.digest('hex') });
  }
});
`;

const MAX_IN_FLIGHT = 32 << 20;

interface Pool {
  worker: Worker;
  inFlight: number;
  waiters: Array<() => void>;
  digests: Map<number, (hex: string) => void>;
  active: number;
}

let pool: Pool | undefined;
let nextId = 1;

function getPool(): Pool {
  if (pool) return pool;
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const p: Pool = { worker, inFlight: 0, waiters: [], digests: new Map(), active: 0 };
  worker.on('message', (m: { type: string; bytes?: number; id?: number; hex?: string }) => {
    if (m.type === 'ack') {
      p.inFlight -= m.bytes!;
      while (p.inFlight < MAX_IN_FLIGHT && p.waiters.length > 0) p.waiters.shift()!();
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

export class ParallelSha256 {
  private readonly id = nextId++;
  private readonly pool = getPool();

  constructor() {
    // keep the process alive while any hash is open; an idle worker must not hold it
    if (this.pool.active++ === 0) this.pool.worker.ref();
  }

  /** Resolves at once unless too many bytes are waiting for the worker. */
  update(chunk: Uint8Array): Promise<void> | undefined {
    const copy = new Uint8Array(chunk.byteLength);
    copy.set(chunk);
    this.pool.inFlight += copy.byteLength;
    this.pool.worker.postMessage({ type: 'update', id: this.id, buf: copy.buffer }, [copy.buffer]);
    if (this.pool.inFlight < MAX_IN_FLIGHT) return undefined;
    return new Promise<void>((resolve) => this.pool.waiters.push(resolve));
  }

  digest(): Promise<string> {
    return new Promise<string>((resolve) => {
      this.pool.digests.set(this.id, (hex) => {
        if (--this.pool.active === 0) this.pool.worker.unref();
        resolve('sha256:' + hex);
      });
      this.pool.worker.postMessage({ type: 'digest', id: this.id });
    });
  }
}
