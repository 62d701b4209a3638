import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { posix } from 'node:path';
import type { BufferedFile } from './bufferedFile.js';
import { LazyLayer, type DirectRoute } from './lazyLayer.js';
import { InputError } from '../errors.js';
import { decompress } from '../layer/compression.js';
import { sniffCompression } from '../layer/sniff.js';
import { normalizeTarPath } from '../layer/tarPath.js';
import type { Image } from '../model/imageTypes.js';
import { tarEntries } from '../tar/tarEntries.js';
import { BLOCK, type TarHeader } from '../tar/tarHeader.js';
import { TarParser, type TarSink } from '../tar/tarParser.js';

/** Where one kept file's bytes are: in the source archive file (a plain layer in a plain archive), the spool, or held. */
interface Located {
  readonly in: 'archive' | 'spool' | 'held';
  readonly offset: number;
  readonly size: number;
  /** The bytes themselves, while `in` is 'held'. */
  held?: Buffer;
}

/** A character or block device's numbers, as its tar header gives them. */
export interface DeviceNumbers {
  readonly major: number;
  readonly minor: number;
}

/**
 * What the second read of the source gives: the original config blob, each kept file's bytes, and each kept device's
 * numbers (which the model does not keep: only the few kept devices need them).
 */
export interface SourceBytes {
  readonly config: Buffer;
  /** The bytes of the file `path` as layer `layer` holds it (any number of times). */
  read(layer: number, path: string): AsyncIterable<Buffer>;
  /**
   * Append the bytes of that file to `out`, read straight into its buffer. `again`: the same bytes will be asked
   * for once more (a hard link's target), so they must stay where they can be read.
   */
  copyInto(layer: number, path: string, size: number, out: BufferedFile, again: boolean): Promise<void>;
  /** The numbers of the device `path` of layer `layer`, when it was wanted and is a device there. */
  device(layer: number, path: string): Promise<DeviceNumbers | undefined>;
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
 * Bytes of kept files held in memory when a layer's stream brings them before the writer asks (the rest of a
 * decompressed chunk past the file asked for, 1 MiB at most): past this, such files go to the spool instead.
 */
const HOLD_BYTES = 16 << 20;

/**
 * The kept files of the layers walked, found: by offset in the archive file when the layer lies there plain
 * (`blobAt` its first byte), else copied as their bytes stream past — into memory while they are few (HOLD_BYTES),
 * else into one spool file under the work directory — or, for the one file the writer waits for, straight into
 * the output.
 */
export class KeptFiles {
  private readonly located = new Map<string, Located>();
  private readonly devices = new Map<string, DeviceNumbers>();
  private readonly spoolPath: string;
  private readonly spool: number;
  private spoolAt = 0;
  private holdLeft = HOLD_BYTES;

  constructor(
    spoolDir: string,
    private readonly name: string,
  ) {
    this.spoolPath = join(spoolDir, 'spool');
    // read and written: a lazily read layer spools a file while the writer reads others from the spool
    this.spool = openSync(this.spoolPath, 'w+', 0o600);
  }

  /** A parser for one layer's tar: it notes (or spools) each file of `want` and each device's numbers. */
  layer(index: number, want: ReadonlySet<string>, what: string, blobAt?: number, direct?: DirectRoute): TarParser {
    // the synchronous parser: one callback per member, no promise per entry (a layer may hold 100,000 files)
    return new TarParser(what, this.sink(index, want, blobAt, direct));
  }

  /** Whether the entry `path` of layer `layer` has passed (a file's bytes, or a device's numbers, are here). */
  has(layer: number, path: string): boolean {
    const k = key(layer, path);
    return this.located.has(k) || this.devices.has(k);
  }

  /** What a layer's parser tells: with `blobAt` (the layer's first byte in the archive) offsets, else the bytes. */
  sink(index: number, want: ReadonlySet<string>, blobAt?: number, direct?: DirectRoute): TarSink {
    type Current = { key: string; to: 'spool'; at: number; size: number } | { key: string; to: 'held'; held: Buffer; size: number } | { key: string; to: 'out'; out: BufferedFile; at: number; size: number; keep: boolean };
    let current: Current | undefined;
    return {
      entry: (h) => {
        const p = normalizeTarPath(h.name);
        current = undefined;
        if (!want.has(p)) return;
        const k = key(index, p);
        if (h.type === 'character-device' || h.type === 'block-device') this.devices.set(k, { major: h.devmajor, minor: h.devminor });
        if (h.type !== 'file' && h.type !== 'contiguous-file') {
          if (direct?.path === p) direct.arrived = true;
          return;
        }
        if (blobAt !== undefined) this.located.set(k, { in: 'archive', offset: blobAt + h.byteOffset, size: h.size });
        else if (direct?.path === p && direct.out && h.size === direct.size) current = { key: k, to: 'out', out: direct.out, at: this.spoolAt, size: 0, keep: direct.keep };
        else if (h.size <= this.holdLeft && direct) {
          this.holdLeft -= h.size;
          current = { key: k, to: 'held', held: Buffer.allocUnsafe(h.size), size: 0 };
        } else current = { key: k, to: 'spool', at: this.spoolAt, size: 0 };
      },
      data: (c) => {
        if (!current) return;
        if (current.to === 'held') c.copy(current.held, current.size);
        else {
          if (current.to === 'out') current.out.append(c);
          if (current.to === 'spool' || current.keep) {
            writeSync(this.spool, c, 0, c.length, this.spoolAt);
            this.spoolAt += c.length;
          }
        }
        current.size += c.length;
      },
      end: () => {
        const c = current;
        current = undefined;
        if (!c) return;
        if (c.to === 'held') this.located.set(c.key, { in: 'held', offset: 0, size: c.size, held: c.held });
        else if (c.to === 'spool' || c.keep) this.located.set(c.key, { in: 'spool', offset: c.at, size: c.size });
        if (c.to === 'out') {
          // taken by the writer: asked for again, it is read from the spool (kept); otherwise it is gone
          if (!c.keep) this.located.set(c.key, { in: 'held', offset: 0, size: -1 });
          direct!.arrived = true;
        } else if (direct?.path !== undefined && key(index, direct.path) === c.key) direct.arrived = true;
      },
    };
  }

  /** The spool is written (or still being written by lazily read layers); the kept files are read from here on. */
  finish(config: Buffer, archive?: FileHandle, lazy?: ReadonlyMap<number, LazyLayer>): SourceBytes {
    const find = (layer: number, path: string) => {
      const at = this.located.get(key(layer, path));
      if (!at || at.size < 0) throw new InputError(`${this.name}: ${path} of layer ${layer} was not found on the second read (did the image change?)`);
      return at;
    };
    const fdOf = (at: Located) => (at.in === 'archive' ? archive!.fd : this.spool);
    /** Brings the entry through its layer's stream when the layer is read lazily and it has not passed yet. */
    const bring = async (layer: number, path: string, route?: { size: number; out: BufferedFile; keep: boolean }): Promise<boolean> => {
      const stream = lazy?.get(layer);
      if (!stream || this.has(layer, path)) return false;
      return stream.bring(path, route);
    };
    return {
      config,
      read: async function* (layer, path) {
        await bring(layer, path, undefined);
        const at = find(layer, path);
        if (at.held) yield at.held;
        else yield* ranged(fdOf(at), at.offset, at.size);
      },
      copyInto: async (layer, path, size, out, again) => {
        if (await bring(layer, path, { size, out, keep: again })) return;
        const at = find(layer, path);
        if (at.size !== size) throw new InputError(`${this.name}: ${path} of layer ${layer} is ${at.size} bytes on the second read, ${size} on the first (did the image change?)`);
        if (at.held) {
          out.append(at.held);
          if (again) return;
          // taken: its memory goes back to the hold
          this.holdLeft += at.held.length;
          this.located.set(key(layer, path), { in: 'held', offset: 0, size: -1 });
          return;
        }
        let done = 0;
        await out.fill(at.size, (into, intoAt, length) => {
          const n = readSync(fdOf(at), into, intoAt, length, at.offset + done);
          if (n === 0) throw new InputError(`${this.name}: the archive ended before ${path}'s bytes (did the file change?)`);
          done += n;
          return n;
        });
      },
      device: async (layer, path) => {
        await bring(layer, path, undefined);
        return this.devices.get(key(layer, path));
      },
      close: async () => {
        for (const stream of lazy?.values() ?? []) await stream.close();
        await archive?.close();
        closeSync(this.spool);
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
  const lazy = new Map<number, LazyLayer>();
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
          const body = () => input.createReadStream({ start: header.byteOffset, end: header.byteOffset + header.size - 1, highWaterMark: 1 << 20, autoClose: false }) as AsyncIterable<Buffer>;
          // a path twice in the layer: only the later member counts, which a stream read as far as asked cannot know
          if (!r.layer.files.hasDuplicatePaths()) lazy.set(r.layer.index, new LazyLayer((route) => kept.layer(r.layer.index, r.want, r.what, undefined, route), decompress(body(), r.layer.compression, r.what)));
          else {
            const parser = kept.layer(r.layer.index, r.want, r.what);
            for await (const c of decompress(body(), r.layer.compression, r.what)) parser.write(c);
            parser.finish();
          }
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
  return kept.finish(config, input, lazy);
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
async function* ranged(fd: number, offset: number, size: number): AsyncGenerator<Buffer> {
  const CHUNK = 4 << 20;
  for (let done = 0; done < size; ) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, size - done));
    const bytesRead = readSync(fd, buf, 0, buf.length, offset + done);
    if (bytesRead === 0) throw new InputError(`the archive ended before a kept file's bytes (did the file change?)`);
    done += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}
