import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { posix } from 'node:path';
import { InputError } from '../errors.js';
import { decompress } from '../layer/compression.js';
import { sniffCompression } from '../layer/sniff.js';
import { normalizeTarPath } from '../layer/tarPath.js';
import type { Image } from '../model/imageTypes.js';
import { tarEntries } from '../tar/tarEntries.js';
import { BLOCK, type TarHeader } from '../tar/tarHeader.js';
import { TarParser, type TarSink } from '../tar/tarParser.js';

/** Where one kept file's bytes are: in the source archive file (a plain layer in a plain archive) or the spool. */
interface Located {
  readonly in: 'archive' | 'spool';
  readonly offset: number;
  readonly size: number;
}

/** A character or block device's numbers, as its tar header gives them. */
export interface DeviceNumbers {
  readonly major: number;
  readonly minor: number;
}

/**
 * What the second read of the source gives: the original config blob, each kept file's bytes by offset, and each
 * kept device's numbers (which the model does not keep: only the few kept devices need them).
 */
export interface SourceBytes {
  readonly config: Buffer;
  /** The bytes of the file `path` as layer `layer` holds it. */
  read(layer: number, path: string): AsyncIterable<Buffer>;
  /** The numbers of the device `path` of layer `layer`, when it was wanted and is a device there. */
  device(layer: number, path: string): DeviceNumbers | undefined;
  close(): Promise<void>;
}

/** Where the second read goes: the source archive file again, or the registry blob by blob. */
export type SecondRead = (image: Image, wanted: ReadonlyMap<number, ReadonlySet<string>>, spoolDir: string) => Promise<SourceBytes>;

const key = (layer: number, path: string) => `${layer}\0${path}`;
const outerPath = (name: string) => posix.normalize(name).replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/$/, '');

async function drain(body: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of body) void _;
}

/**
 * The kept files of the layers walked, found: by offset in the archive file when the layer lies there plain
 * (`blobAt` its first byte), else copied into one spool file under the work directory as their bytes stream past.
 */
export class KeptFiles {
  private readonly located = new Map<string, Located>();
  private readonly devices = new Map<string, DeviceNumbers>();
  private readonly spoolPath: string;
  private readonly spool: number;
  private spoolAt = 0;

  constructor(
    spoolDir: string,
    private readonly name: string,
  ) {
    this.spoolPath = join(spoolDir, 'spool');
    this.spool = openSync(this.spoolPath, 'w', 0o600);
  }

  /** A parser for one layer's tar: it notes (or spools) each file of `want` and each device's numbers. */
  layer(index: number, want: ReadonlySet<string>, what: string, blobAt?: number): TarParser {
    // the synchronous parser: one callback per member, no promise per entry (a layer may hold 100,000 files)
    return new TarParser(what, this.sink(index, want, blobAt));
  }

  /** What a layer's parser tells: with `blobAt` (the layer's first byte in the archive) offsets, else the bytes. */
  sink(index: number, want: ReadonlySet<string>, blobAt?: number): TarSink {
    let current: { key: string; at: number; size: number } | undefined;
    return {
      entry: (h) => {
        const p = normalizeTarPath(h.name);
        current = undefined;
        if (!want.has(p)) return;
        if (h.type === 'character-device' || h.type === 'block-device') this.devices.set(key(index, p), { major: h.devmajor, minor: h.devminor });
        if (h.type !== 'file' && h.type !== 'contiguous-file') return;
        if (blobAt !== undefined) this.located.set(key(index, p), { in: 'archive', offset: blobAt + h.byteOffset, size: h.size });
        else current = { key: key(index, p), at: this.spoolAt, size: 0 };
      },
      data: (c) => {
        if (!current) return;
        writeSync(this.spool, c);
        this.spoolAt += c.length;
        current.size += c.length;
      },
      end: () => {
        if (current) this.located.set(current.key, { in: 'spool', offset: current.at, size: current.size });
        current = undefined;
      },
    };
  }

  /** The spool is written; the kept files are read from it (and `archive`, the source file, when there is one). */
  async finish(config: Buffer, archive?: FileHandle): Promise<SourceBytes> {
    closeSync(this.spool);
    const spoolFile = await open(this.spoolPath, 'r');
    return {
      config,
      read: (layer, path) => {
        const at = this.located.get(key(layer, path));
        if (!at) throw new InputError(`${this.name}: ${path} of layer ${layer} was not found on the second read (did the image change?)`);
        return ranged(at.in === 'archive' ? archive! : spoolFile, at.offset, at.size);
      },
      device: (layer, path) => this.devices.get(key(layer, path)),
      close: async () => {
        await archive?.close();
        await spoolFile.close();
      },
    };
  }

  /** Left unfinished (the read failed): the spool's descriptor is closed. */
  abandon(): void {
    try {
      closeSync(this.spool);
    } catch {
      // already closed by finish
    }
  }
}

/** The second read from the source archive file, as `readSourceBytes` does it. */
export const fromArchiveFile =
  (archive: string): SecondRead =>
  (image, wanted, spoolDir) =>
    readSourceBytes(archive, image, wanted, spoolDir);

/**
 * One more pass over the source archive (a regular file) for the kept files: a plain layer of a plain archive is only
 * walked (its files are read later by offset, straight from the archive); a compressed layer's kept files are copied
 * into a spool file under `spoolDir` as they stream, since a compressed stream cannot be read by offset. Layers with
 * no kept file are skipped unread; nothing else is held in memory but the offsets. A plain archive is walked by its
 * headers alone (walkHeaders): what it skips is never read.
 */
export async function readSourceBytes(archive: string, image: Image, wanted: ReadonlyMap<number, ReadonlySet<string>>, spoolDir: string): Promise<SourceBytes> {
  const kept = new KeptFiles(spoolDir, archive);
  let config: Buffer | undefined;
  const layerAt = new Map(image.layers.map((l) => [l.archivePath, l]));
  const configHex = image.id.replace(/^sha256:/, '');
  const input = await open(archive, 'r');
  /** What one outer member is to the second read: the config, a layer holding kept files, or nothing. */
  const role = (header: TarHeader) => {
    const path = outerPath(header.name);
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (header.type === 'file' && (base === configHex || base === `${configHex}.json`)) return { config: true as const };
    const layer = layerAt.get(path);
    const want = layer ? wanted.get(layer.index) : undefined;
    return layer && want && want.size > 0 && header.type === 'file' ? { layer, want, what: `${archive}: ${path}` } : undefined;
  };
  try {
    const size = (await input.stat()).size;
    const compression = sniffCompression(readAt(input.fd, 0, Math.min(BLOCK, size), archive));
    if (compression === 'none') {
      await walkHeaders(input.fd, 0, size, archive, IGNORE, async (header) => {
        const r = role(header);
        if (!r) return;
        if ('config' in r) config = readAt(input.fd, header.byteOffset, header.size, archive);
        else if (r.layer.compression === 'none') await walkHeaders(input.fd, header.byteOffset, header.size, r.what, kept.sink(r.layer.index, r.want, header.byteOffset));
        else {
          const body = input.createReadStream({ start: header.byteOffset, end: header.byteOffset + header.size - 1, highWaterMark: 1 << 20, autoClose: false }) as AsyncIterable<Buffer>;
          const parser = kept.layer(r.layer.index, r.want, r.what);
          for await (const c of decompress(body, r.layer.compression, r.what)) parser.write(c);
          parser.finish();
        }
      });
    } else {
      const outer = input.createReadStream({ highWaterMark: 1 << 20, autoClose: false }) as AsyncIterable<Buffer>;
      for await (const { header, body } of tarEntries(decompress(outer, compression, archive), archive)) {
        const r = role(header);
        if (r && 'config' in r) {
          const parts: Buffer[] = [];
          for await (const c of body) parts.push(c);
          config = Buffer.concat(parts);
          continue;
        }
        if (!r) {
          await drain(body);
          continue;
        }
        const parser = kept.layer(r.layer.index, r.want, r.what);
        for await (const c of decompress(body, r.layer.compression, r.what)) parser.write(c);
        parser.finish();
      }
    }
  } catch (err) {
    kept.abandon();
    await input.close();
    throw err;
  }
  if (!config) {
    kept.abandon();
    await input.close();
    throw new InputError(`${archive}: the image config ${image.id} is not in the archive on the second read (did the file change?)`);
  }
  return kept.finish(config, input);
}

const IGNORE: TarSink = { entry: () => {}, data: () => {}, end: () => {} };

/** Bytes read through at a time while walking headers: consecutive small members share one read. */
const WINDOW_BYTES = 64 << 10;

function readAt(fd: number, offset: number, size: number, what: string): Buffer {
  const buf = Buffer.allocUnsafe(size);
  for (let done = 0; done < size; ) {
    const n = readSync(fd, buf, done, size - done, offset + done);
    if (n === 0) throw new InputError(`${what}: the file ended early on the second read (did it change?)`);
    done += n;
  }
  return buf;
}

/**
 * Walk the plain tar of `size` bytes at `start` in a file by its headers alone: header blocks reach the parser through
 * a window read synchronously, and every member's content is passed over unread — after `onContent(header)` (the
 * header's byteOffset made absolute in the file), which may read it itself. `sink` sees each entry (byteOffset
 * relative to `start`, as a stream parser counts) and its end, never data.
 */
async function walkHeaders(fd: number, start: number, size: number, what: string, sink: TarSink, onContent?: (header: TarHeader) => Promise<void>): Promise<void> {
  let member: TarHeader | undefined;
  const parser = new TarParser(what, {
    entry: (h) => {
      member = h;
      sink.entry(h);
    },
    data: () => {},
    end: () => sink.end(),
  });
  const window = Buffer.allocUnsafe(WINDOW_BYTES);
  let windowAt = 0;
  let windowLength = 0;
  const end = start + size;
  for (let at = start; at < end; ) {
    const skip = parser.skippable();
    if (skip > 0) {
      if (member && onContent) await onContent({ ...member, byteOffset: start + member.byteOffset });
      member = undefined;
      parser.skipContent();
      at += skip;
      continue;
    }
    member = undefined;
    if (at < windowAt || at + BLOCK > windowAt + windowLength) {
      windowAt = at;
      windowLength = readSync(fd, window, 0, Math.min(WINDOW_BYTES, end - at), at);
      if (windowLength < BLOCK) break;
    }
    parser.write(window.subarray(at - windowAt, at - windowAt + BLOCK));
    at += BLOCK;
  }
  parser.finish();
}

/**
 * A kept file's bytes by offset: synchronous reads of up to 4 MiB into fresh buffers (the tar writer holds them). A
 * promise read per piece goes through the thread pool and back, which for the ~40,000 small files of a big image
 * was most of the write's time (the main thread idle between reads); a local file's pread costs microseconds.
 */
async function* ranged(file: FileHandle, offset: number, size: number): AsyncGenerator<Buffer> {
  const CHUNK = 4 << 20;
  for (let done = 0; done < size; ) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, size - done));
    const bytesRead = readSync(file.fd, buf, 0, buf.length, offset + done);
    if (bytesRead === 0) throw new InputError(`the archive ended before a kept file's bytes (did the file change?)`);
    done += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}
