import tar, { type Header } from 'tar-stream';
import { InputError } from '../model/errors.js';

/** The entry's content stream as tar-stream hands it out (a streamx Readable). */
export type TarEntryStream = AsyncIterable<Buffer> & {
  on(event: 'data', fn: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close', fn: () => void): unknown;
  on(event: 'error', fn: (err: Error) => void): unknown;
  resume(): unknown;
};

/** Called for every entry; must consume the stream and call `next` (or return a promise that rejects). */
export type TarEntryHandler = (header: Header, stream: TarEntryStream, next: () => void) => void | Promise<void>;

function describe(err: unknown, what: string): Error {
  if (err instanceof InputError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (/Unexpected end of data/.test(msg)) return new InputError(`${what}: truncated tar (unexpected end of data)`);
  if (/Invalid tar header/.test(msg)) return new InputError(`${what}: not a valid tar (${msg.replace(/\.$/, '')})`);
  return new InputError(`${what}: ${msg}`);
}

/**
 * Push a chunk stream through tar-stream's parser with backpressure, one entry at a time.
 * Errors from the source, the parser or a handler all end here as one InputError that names `what`.
 */
export function feedTar(chunks: AsyncIterable<Buffer>, what: string, onEntry: TarEntryHandler): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const extract = tar.extract();
    let failed = false;
    let wake: (() => void) | undefined;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      wake?.();
      extract.destroy();
      reject(describe(err, what));
    };
    extract.on('entry', (header, stream, next) => {
      try {
        const r = onEntry(header, stream as unknown as TarEntryStream, next);
        if (r) r.catch(fail);
      } catch (err) {
        fail(err);
      }
    });
    extract.on('error', fail);
    extract.on('finish', () => {
      if (!failed) resolve();
    });
    extract.on('drain', () => wake?.());
    void (async () => {
      for await (const chunk of chunks) {
        if (failed) return;
        if (!extract.write(chunk)) {
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
          if (failed) return;
        }
      }
      (extract as unknown as { end(): void }).end();
    })().catch(fail);
  });
}
