import type { IncomingHttpHeaders } from 'node:http';
import { Worker } from 'node:worker_threads';
import { IDLE_MS, NetworkError, type Answer, type TlsSettings } from './http.js';

/**
 * Blob downloads on a thread of their own. Receiving a blob (socket reads, the HTTP parser, one copy into pieces) and
 * its sha256 cost the main thread more than the parse it feeds (bench archive from a registry: 2.3 s of main-thread
 * CPU against 0.93 s from the file); here they run beside it, and the main thread gets 1 MiB pieces whose memory is
 * handed over, not copied (0.95 s). The request logic (auth, redirects, retries, resume)
 * stays with the main thread's client: this thread sends one GET at a time as it is told and reports the answer.
 * CommonJS source evaluated by the Worker, so a bundled fathom needs no file beside it.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const https = require('node:https');
const { rootCertificates } = require('node:tls');
const { createHash } = require('node:crypto');
const { verify, extraCa, piece: PIECE, window: WINDOW, idleMs } = workerData;
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true, rejectUnauthorized: verify, ...(extraCa.length > 0 ? { ca: [...rootCertificates, ...extraCa] } : {}) }),
};
const hashes = new Map();
const reqs = new Map();
function get(m) {
  const url = new URL(m.url);
  const r = { req: undefined, res: undefined, unacked: 0, discard: false, done: false };
  reqs.set(m.id, r);
  let piece = Buffer.allocUnsafeSlow(PIECE);
  let len = 0;
  const flush = () => {
    if (len === 0 || r.discard) return;
    const ab = piece.buffer;
    parentPort.postMessage({ type: 'data', id: m.id, data: ab, len }, [ab]);
    piece = Buffer.allocUnsafeSlow(PIECE);
    len = 0;
    if (++r.unacked >= WINDOW) r.res.pause();
  };
  const fail = (err) => {
    if (r.done) return;
    r.done = true;
    reqs.delete(m.id);
    if (r.res) flush();
    parentPort.postMessage({ type: 'error', id: m.id, message: String((err && err.message) || err), code: err && err.code });
  };
  const lib = url.protocol === 'https:' ? https : http;
  r.req = lib.request(url, { method: 'GET', headers: m.headers, agent: agents[url.protocol] }, (res) => {
    r.res = res;
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    // a registry that ignores Range sends the whole blob again: what was delivered before is skipped here
    let skip = ok && res.statusCode !== 206 ? m.from : 0;
    let hash;
    if (ok && m.hash) {
      hash = hashes.get(m.hash);
      if (!hash) hashes.set(m.hash, (hash = createHash('sha256')));
    }
    parentPort.postMessage({ type: 'head', id: m.id, status: res.statusCode, headers: res.headers });
    res.on('data', (c) => {
      if (r.discard) return;
      if (skip > 0) {
        if (c.length <= skip) return void (skip -= c.length);
        c = c.subarray(skip);
        skip = 0;
      }
      if (hash) hash.update(c);
      for (let off = 0; off < c.length; ) {
        const n = Math.min(PIECE - len, c.length - off);
        c.copy(piece, len, off, off + n);
        len += n;
        off += n;
        if (len === PIECE) flush();
      }
    });
    res.on('end', () => {
      if (r.done) return;
      r.done = true;
      reqs.delete(m.id);
      flush();
      parentPort.postMessage({ type: 'end', id: m.id });
    });
    res.on('error', fail);
    // a connection that closes before the body is complete ends with 'close' and no 'end'
    res.on('close', () => res.complete || fail(Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' })));
  });
  r.req.setTimeout(idleMs, () => r.req.destroy(Object.assign(new Error('no data for ' + idleMs / 1000 + ' s'), { code: 'ETIMEDOUT' })));
  r.req.on('error', fail);
  r.req.end();
}
parentPort.on('message', (m) => {
  const r = reqs.get(m.id);
  if (m.type === 'get') get(m);
  else if (m.type === 'ack') {
    if (r && --r.unacked < WINDOW && r.res.isPaused()) r.res.resume();
  } else if (m.type === 'discard') {
    if (r) {
      r.discard = true;
      r.res.resume();
    }
  } else if (m.type === 'abort') {
    if (r) {
      r.done = true;
      reqs.delete(m.id);
      r.req.destroy();
    }
  } else if (m.type === 'digest') {
    const h = hashes.get(m.hash) || createHash('sha256');
    hashes.delete(m.hash);
    parentPort.postMessage({ type: 'digest', hash: m.hash, hex: h.digest('hex') });
  }
});
`;

/** Bytes per piece handed to the main thread: one message and one parser call each. */
export const PIECE_BYTES = 1 << 20;
/** Pieces a download may have sent ahead of the main thread's reading; beyond, the socket's backpressure holds the sender. */
const WINDOW = 4;

type FromWorker =
  | { type: 'head'; id: number; status: number; headers: IncomingHttpHeaders }
  | { type: 'data'; id: number; data: ArrayBuffer; len: number }
  | { type: 'end'; id: number }
  | { type: 'error'; id: number; message: string; code?: string }
  | { type: 'digest'; hash: number; hex: string };

/** What a blob request asks of the thread besides the GET. */
export interface BlobHashing {
  /** Hash the blob's bytes under this id (across the requests of one blob: its resumes). */
  readonly hash?: number;
  /** Bytes of the blob already delivered: a full (200) answer skips them. */
  readonly from: number;
}

/** One answer from the download thread: status and headers now, the body's pieces as they come. */
class WorkerAnswer implements Answer {
  private readonly pieces: Buffer[] = [];
  private ended = false;
  private failure: NetworkError | undefined;
  private wake: (() => void) | undefined;
  private finished = false;

  constructor(
    private readonly owner: BlobWorker,
    private readonly id: number,
    readonly statusCode: number,
    readonly headers: IncomingHttpHeaders,
  ) {}

  /** From the thread. */
  deliver(m: FromWorker): void {
    if (m.type === 'data') this.pieces.push(Buffer.from(m.data, 0, m.len));
    else if (m.type === 'end') this.ended = true;
    else if (m.type === 'error') this.failure = new NetworkError(m.message, m.code);
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** The body is not wanted (a redirect, a challenge): drained there so the connection stays usable. */
  resume(): void {
    if (!this.finish()) this.owner.post({ type: 'discard', id: this.id });
  }

  destroy(): void {
    if (!this.finish()) this.owner.post({ type: 'abort', id: this.id });
  }

  /** Forget the answer; true when it had already ended. */
  private finish(): boolean {
    const was = this.finished || this.ended || this.failure !== undefined;
    this.finished = true;
    this.owner.forget(this.id);
    return was;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const piece = this.pieces.shift();
        if (piece) {
          this.owner.post({ type: 'ack', id: this.id });
          yield piece;
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.ended) return;
        await new Promise<void>((r) => (this.wake = r));
      }
    } finally {
      this.destroy();
    }
  }
}

interface Pending {
  resolve: (a: WorkerAnswer) => void;
  reject: (e: Error) => void;
  answer?: WorkerAnswer;
}

/** The download thread of one registry client: started at the first request, stopped by `close`. */
export class BlobWorker {
  private worker: Worker | undefined;
  private readonly requests = new Map<number, Pending>();
  private readonly digests = new Map<number, { resolve: (digest: string) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private crashed: Error | undefined;

  constructor(private readonly tls: TlsSettings) {}

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { verify: this.tls.verify, extraCa: [...(this.tls.extraCa ?? [])], piece: PIECE_BYTES, window: WINDOW, idleMs: IDLE_MS },
    });
    worker.on('message', (m: FromWorker) => this.receive(m));
    worker.on('error', (err: Error) => this.fail(new Error(`the download thread failed: ${err.message}`)));
    // idle between loads it must not hold the process open; a request or a digest asked for refs it again
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private receive(m: FromWorker): void {
    if (m.type === 'digest') {
      const done = this.digests.get(m.hash);
      this.digests.delete(m.hash);
      this.idle();
      done?.resolve('sha256:' + m.hex);
      return;
    }
    const p = this.requests.get(m.id);
    if (!p) return;
    if (m.type === 'head') {
      p.answer = new WorkerAnswer(this, m.id, m.status, m.headers);
      p.resolve(p.answer);
    } else if (p.answer) {
      p.answer.deliver(m);
      if (m.type !== 'data') this.forget(m.id);
    } else if (m.type === 'error') {
      this.forget(m.id);
      p.reject(new NetworkError(m.message, m.code));
    }
  }

  private fail(err: Error): void {
    this.crashed = err;
    for (const p of this.requests.values()) {
      if (p.answer) p.answer.deliver({ type: 'error', id: 0, message: err.message });
      else p.reject(err);
    }
    for (const d of this.digests.values()) d.reject(err);
    this.requests.clear();
    this.digests.clear();
    this.worker = undefined;
  }

  /** Unref the thread once nothing waits on it. */
  private idle(): void {
    if (this.requests.size === 0 && this.digests.size === 0) this.worker?.unref();
  }

  post(m: { type: 'ack' | 'discard' | 'abort'; id: number }): void {
    this.worker?.postMessage(m);
  }

  forget(id: number): void {
    this.requests.delete(id);
    this.idle();
  }

  /** A fresh id for a blob's hash. */
  hashId(): number {
    return this.nextId++;
  }

  /** One GET; the answer once its status line and headers arrived, or a NetworkError. */
  request(url: URL, headers: Record<string, string>, blob: BlobHashing): Promise<WorkerAnswer> {
    if (this.crashed) return Promise.reject(this.crashed);
    const worker = this.thread();
    const id = this.nextId++;
    worker.ref();
    return new Promise((resolve, reject) => {
      this.requests.set(id, { resolve, reject });
      worker.postMessage({ type: 'get', id, url: url.href, headers: { 'User-Agent': 'fathom', ...headers }, hash: blob.hash ?? 0, from: blob.from });
    });
  }

  /** The sha256 of every byte delivered under `hash` (ask once the last piece was read). */
  digest(hash: number): Promise<string> {
    if (this.crashed) return Promise.reject(this.crashed);
    const worker = this.thread();
    worker.ref();
    return new Promise((resolve, reject) => {
      this.digests.set(hash, { resolve, reject });
      worker.postMessage({ type: 'digest', hash });
    });
  }

  close(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
  }
}
