import type { IncomingHttpHeaders } from 'node:http';
import { Worker } from 'node:worker_threads';
import { BLOB_THREAD_SOURCE } from './blobThreadSource.js';
import { IDLE_MS, NetworkError, type Answer, type TlsSettings } from './http.js';

// The main thread's handle on the blob download thread; the thread's own code is blobThreadSource.ts.

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
    const worker = new Worker(BLOB_THREAD_SOURCE, {
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
