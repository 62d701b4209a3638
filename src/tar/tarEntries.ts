import { InputError } from '../errors.js';
import { TarParser } from './tarParser.js';
import type { TarHeader } from './tarHeader.js';

export interface TarEntry {
  readonly header: TarHeader;
  /** The member's content. Read it (or not) before asking for the next entry: what is left is skipped. */
  readonly body: AsyncIterable<Buffer>;
}

const END = Symbol('end');
type TarEvent = TarHeader | Buffer | typeof END;

/**
 * A tar stream as a sequence of members whose content can be awaited: for the outer archive, whose few members
 * are layer blobs read asynchronously (gunzip, digests). Pulling is the backpressure: the next chunk is read only
 * when the consumer asks for bytes the parser has not yet seen.
 */
export async function* tarEntries(chunks: AsyncIterable<Buffer>, what: string): AsyncGenerator<TarEntry> {
  let queue: TarEvent[] = [];
  let at = 0;
  const parser = new TarParser(what, {
    entry: (h) => queue.push(h),
    // a view into the chunk: valid after `write`, as the consumer reads it before the next chunk is asked for
    data: (c) => queue.push(c),
    end: () => queue.push(END),
  });
  const source = chunks[Symbol.asyncIterator]();
  let ended = false;
  /** Parse one more chunk; false when the source has ended (after checking it ended cleanly). */
  async function pull(): Promise<boolean> {
    if (ended) return false;
    let r: IteratorResult<Buffer>;
    try {
      r = await source.next();
    } catch (err) {
      // a read error of the source (a file, a pipe, an engine's HTTP stream) is bad input: one line that names it
      if (err instanceof InputError) throw err;
      throw new InputError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (at === queue.length) {
      queue = [];
      at = 0;
    }
    if (r.done) {
      ended = true;
      parser.finish();
      return false;
    }
    parser.write(r.value);
    return true;
  }
  let open = false;
  async function* body(): AsyncGenerator<Buffer> {
    for (;;) {
      while (at < queue.length) {
        const e = queue[at++]!;
        if (e === END) {
          open = false;
          return;
        }
        yield e as Buffer;
      }
      // the parser only ends a member it has fully read, or throws from finish() on truncation
      if (!(await pull())) return;
    }
  }
  for (;;) {
    while (at < queue.length) {
      const e = queue[at++]!;
      if (e === END || Buffer.isBuffer(e)) continue; // the rest of a member its consumer did not read
      open = true;
      yield { header: e, body: body() };
      while (open) {
        if (at < queue.length) {
          if (queue[at++] === END) open = false;
        } else if (!(await pull())) return;
      }
    }
    if (!(await pull())) return;
  }
}
