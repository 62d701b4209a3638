import { open } from 'node:fs/promises';
import { InputError } from '../errors.js';

const CHUNK = 1 << 20;

export interface ArchiveSource {
  readonly name: string;
  /** Total bytes when known (files), for progress. */
  readonly size?: number;
  readonly chunks: AsyncIterable<Buffer>;
  /**
   * The file the chunks are read from, whole and from its start: blobs can then be re-read by offset. Only a regular
   * file: a pipe, a FIFO or a device (`/dev/stdin` fed by `cat x.tar |`) is streamed once, like `-`.
   */
  readonly path?: string;
}

function describeOpenError(path: string, err: NodeJS.ErrnoException): InputError {
  switch (err.code) {
    case 'ENOENT':
      return new InputError(`${path}: no such file`);
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${path}: permission denied`);
    case 'EISDIR':
      return new InputError(`${path}: is a directory, not an image archive`);
    default:
      return new InputError(`${path}: cannot read (${err.message})`);
  }
}

/** Open an archive file for streaming with 1 MiB reads (2–3x faster than the 64 KiB default here). */
export async function openArchiveFile(path: string): Promise<ArchiveSource> {
  let handle;
  try {
    handle = await open(path, 'r');
    const st = await handle.stat();
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    const stream = handle.createReadStream({ highWaterMark: CHUNK, autoClose: true });
    async function* chunks(): AsyncGenerator<Buffer> {
      try {
        for await (const c of stream) yield c as Buffer;
      } catch (err) {
        throw describeOpenError(path, err as NodeJS.ErrnoException);
      } finally {
        stream.destroy();
      }
    }
    // opening a FIFO blocks until a writer comes, as for any reader; re-opening it for a digest would block forever
    return st.isFile() ? { name: path, size: st.size, chunks: chunks(), path } : { name: path, chunks: chunks() };
  } catch (err) {
    await handle?.close().catch(() => {});
    throw describeOpenError(path, err as NodeJS.ErrnoException);
  }
}

/** An archive arriving on a stream (stdin, an engine's HTTP response). */
export function streamSource(name: string, stream: AsyncIterable<Buffer | string>, size?: number): ArchiveSource {
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const c of stream) yield typeof c === 'string' ? Buffer.from(c) : c;
  }
  return { name, ...(size !== undefined ? { size } : {}), chunks: chunks() };
}
