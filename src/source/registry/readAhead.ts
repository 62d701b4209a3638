/**
 * Pulls from a chunk stream ahead of its consumer, holding at most `limit` bytes: the next layers download while
 * the current one is parsed, and memory stays bounded whatever the blobs' sizes (beyond the limit, the socket's own
 * backpressure holds the sender). The consumer gets pieces of at least `batch` bytes (but the last): sockets deliver
 * 16–64 KiB at a time, and every piece costs the layer reader a message to its hashing thread, a parser call and a
 * few generator steps — one copy into 1 MiB pieces is far cheaper than sixteen times all of that.
 */
export class ReadAhead implements AsyncIterable<Buffer> {
  private readonly queue: Buffer[] = [];
  private head = 0;
  private queued = 0;
  private ended = false;
  private failed: { error: unknown } | undefined;
  private cancelled = false;
  private started = false;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(
    private readonly source: AsyncIterable<Buffer>,
    private readonly limit: number,
    private readonly batch = 1 << 20,
  ) {
    if (batch > limit) throw new RangeError('read-ahead: batch above limit');
  }

  /** Begin downloading now (idempotent); iterating starts it too. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.pump();
  }

  /** Stop pulling: the source is closed at its next chunk. */
  cancel(): void {
    this.cancelled = true;
    this.wake('producer');
  }

  private wake(who: 'consumer' | 'producer'): void {
    const w = who === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (who === 'consumer') this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    w?.();
  }

  private async pump(): Promise<void> {
    try {
      for await (const chunk of this.source) {
        if (this.cancelled) break;
        this.queue.push(chunk);
        this.queued += chunk.length;
        if (this.queued >= this.batch) this.wake('consumer');
        while (this.queued >= this.limit && !this.cancelled) await new Promise<void>((r) => (this.wakeProducer = r));
        if (this.cancelled) break;
      }
    } catch (error) {
      this.failed = { error };
    } finally {
      this.ended = true;
      this.wake('consumer');
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    this.start();
    try {
      for (;;) {
        const available = this.queue.length - this.head;
        if (available > 0 && (this.queued >= this.batch || this.ended)) {
          yield this.take();
          continue;
        }
        if (available === 0 && this.failed) throw this.failed.error;
        if (available === 0 && this.ended) return;
        await new Promise<void>((r) => (this.wakeConsumer = r));
      }
    } finally {
      this.cancel();
    }
  }

  /** Queued chunks up to `batch` bytes as one piece (a chunk alone when it is that big already). */
  private take(): Buffer {
    const parts: Buffer[] = [];
    let len = 0;
    while (this.head < this.queue.length && len < this.batch) {
      const c = this.queue[this.head]!;
      this.queue[this.head++] = EMPTY;
      parts.push(c);
      len += c.length;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.queued -= len;
    this.wake('producer');
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, len);
  }
}

const EMPTY = Buffer.alloc(0);
