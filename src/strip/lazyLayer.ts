import { BLOCK } from '../tar/tarHeader.js';
import type { TarParser } from '../tar/tarParser.js';
import type { BufferedFile } from './bufferedFile.js';

/** Decompressed chunks (1 MiB each) asked for ahead of the one being parsed. */
const READ_AHEAD = 4;

/** Where a layer's stream sends the file the writer is waiting for: straight to the output. */
export interface DirectRoute {
  path: string | undefined;
  size: number;
  out: BufferedFile | undefined;
  /** Also spool it (it will be asked for again). */
  keep: boolean;
  arrived: boolean;
}

/**
 * A compressed layer of the archive file, decompressed only as far as the writer has asked: the output is sorted
 * and a layer's tar usually is too, so each file the writer asks for is the next in the stream and goes straight
 * to the output; the few that come early are held or spooled (KeptFiles). Before, every kept file of a compressed
 * layer went through the spool: written once, read back, and only then written out.
 */
export class LazyLayer {
  private readonly route: DirectRoute = { path: undefined, size: 0, out: undefined, keep: false, arrived: false };
  private readonly parser: TarParser;
  private readonly chunks: AsyncIterator<Buffer>;
  private ended = false;
  private readonly ahead: Promise<IteratorResult<Buffer>>[] = [];
  /** What is left of the last chunk, not yet parsed. */
  private rest: Buffer = Buffer.alloc(0);

  /** `parserFor(route)`: the layer's parser, sending the file the writer waits for where `route` says. */
  constructor(parserFor: (route: DirectRoute) => TarParser, body: AsyncIterable<Buffer>) {
    this.parser = parserFor(this.route);
    this.chunks = body[Symbol.asyncIterator]();
  }

  /** Reads on until the entry `path` has passed; true when its bytes went straight to `route.out`. */
  async bring(path: string, route: { size: number; out: BufferedFile; keep: boolean } | undefined): Promise<boolean> {
    Object.assign(this.route, { path, size: route?.size ?? 0, out: route?.out, keep: route?.keep ?? false, arrived: false });
    let direct = false;
    try {
      while (!this.route.arrived && !this.ended) {
        if (this.rest.length === 0) {
          const next = await this.next();
          if (next.done) {
            this.ended = true;
            this.parser.finish();
            break;
          }
          this.rest = next.value;
          continue;
        }
        // the parser is given a header block, or what is left of the member it is in, at a time: it stops where the
        // file asked for ends, and the files after it wait unparsed to be asked for (given the whole chunk, the
        // parser would pass them to the hold before the writer wants them)
        const n = Math.min(this.rest.length, this.parser.skippable() || BLOCK);
        const before = route?.out.position;
        this.parser.write(this.rest.subarray(0, n));
        this.rest = this.rest.subarray(n);
        if (route && route.out.position !== before) {
          direct = true;
          await route.out.settle();
        }
      }
    } finally {
      Object.assign(this.route, { path: undefined, out: undefined, arrived: false });
    }
    return direct;
  }

  /**
   * The next decompressed chunk, with READ_AHEAD more asked for behind it: the decompressor works on the thread pool
   * while this thread parses and writes (asked one at a time, the two took turns).
   */
  private next(): Promise<IteratorResult<Buffer>> {
    while (this.ahead.length <= READ_AHEAD) {
      const chunk = this.chunks.next();
      // a failure is thrown where the chunk is awaited; until then it must not count as unhandled
      chunk.catch(() => {});
      this.ahead.push(chunk);
    }
    return this.ahead.shift()!;
  }

  /** Stops reading (what is left of the layer is not needed). */
  async close(): Promise<void> {
    if (!this.ended) {
      // the chunks asked for ahead settle first (an async generator answers in order), then it stops
      await Promise.allSettled(this.ahead);
      await this.chunks.return?.();
    }
    this.ended = true;
  }
}
