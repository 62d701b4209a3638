/**
 * Pulls from a chunk stream ahead of its consumer, holding at most `limit` bytes: the next layers download while
 * the current one is parsed, and memory stays bounded whatever the blobs' sizes (beyond the limit, the socket's own
 * backpressure holds the sender).
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
  ) {}

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
        this.wake('consumer');
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
        if (this.head < this.queue.length) {
          const chunk = this.queue[this.head]!;
          this.queue[this.head++] = EMPTY;
          if (this.head > 1024 && this.head * 2 > this.queue.length) {
            this.queue.splice(0, this.head);
            this.head = 0;
          }
          this.queued -= chunk.length;
          this.wake('producer');
          yield chunk;
          continue;
        }
        if (this.failed) throw this.failed.error;
        if (this.ended) return;
        await new Promise<void>((r) => (this.wakeConsumer = r));
      }
    } finally {
      this.cancel();
    }
  }
}

const EMPTY = Buffer.alloc(0);
