import { InputError } from '../errors.js';
import { BLOCK, checksumMatches, decodeHeader, decodePax, isZeroBlock, readString, type TarHeader } from './tarHeader.js';

/** Receives a tar stream's members in order: `entry`, then `data` for each piece of its content, then `end`. */
export interface TarSink {
  entry(header: TarHeader): void;
  /** A view into the chunk given to `write`, not a copy: valid as long as the writer does not reuse that memory. */
  data(chunk: Buffer): void;
  end(): void;
}

/** PAX and GNU long-name records larger than this are refused rather than held in memory. */
const MAX_LONG_HEADER = 4 << 20;

const HEADER = 0;
const BODY = 1;
const SKIP = 2;
const LONG = 3;
const SPARSE_EXT = 4;

const padOf = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

/** PAX keys that only ever make sense for one member, never from a global header. */
const LOCAL_ONLY = new Set(['path', 'linkpath', 'size']);

/**
 * A push parser for tar streams: `write` chunks as they arrive, `finish` at the end. It is synchronous and hands
 * out views into the written chunks, with no stream per member: tar-stream's per-member streams cost ~6 µs per
 * entry here, which on a layer of 50,000 whiteouts was the whole cost of reading it.
 * Reads ustar, GNU and v7 headers, base-256 numbers, PAX local and global records, GNU long names and links, and
 * skips GNU sparse extension blocks. Errors name `what`.
 */
export class TarParser {
  private state = HEADER;
  /** Absolute offset of the start of the chunk being written. */
  private base = 0;
  private readonly block = Buffer.alloc(BLOCK);
  private held = 0;
  private remaining = 0;
  private skip = 0;
  private pad = 0;
  private long: Buffer | undefined;
  private longFill = 0;
  private longType: TarHeader['type'] = 'other';
  private pending: TarHeader | undefined;
  private localPax: Record<string, string> | undefined;
  private globalPax: Record<string, string> | undefined;
  private longPath: string | undefined;
  private longLink: string | undefined;

  constructor(
    private readonly what: string,
    private readonly sink: TarSink,
  ) {}

  write(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case BODY: {
          const take = Math.min(this.remaining, n - i);
          this.sink.data(i === 0 && take === n ? chunk : chunk.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) {
            this.sink.end();
            this.skipThen(this.pad);
          }
          break;
        }
        case SKIP: {
          const take = Math.min(this.skip, n - i);
          i += take;
          this.skip -= take;
          if (this.skip === 0) this.state = HEADER;
          break;
        }
        case LONG: {
          const long = this.long!;
          const take = Math.min(long.length - this.longFill, n - i);
          chunk.copy(long, this.longFill, i, i + take);
          this.longFill += take;
          i += take;
          if (this.longFill === long.length) {
            this.applyLong(long);
            this.long = undefined;
            this.skipThen(padOf(long.length));
          }
          break;
        }
        default: {
          // HEADER or SPARSE_EXT: one whole block, straight from the chunk when it holds one
          if (this.held === 0 && n - i >= BLOCK) {
            i += BLOCK;
            this.onBlock(chunk, i - BLOCK, this.base + i);
          } else {
            const take = Math.min(BLOCK - this.held, n - i);
            chunk.copy(this.block, this.held, i, i + take);
            this.held += take;
            i += take;
            if (this.held === BLOCK) {
              this.held = 0;
              this.onBlock(this.block, 0, this.base + i);
            }
          }
        }
      }
    }
    this.base += n;
  }

  /**
   * Bytes the parser would take next as a member's content or padding without looking at them; 0 when it needs the
   * next bytes (a header, a long name, a PAX record). A reader that can seek and wants no content passes over them
   * with `skipContent` instead of reading them.
   */
  skippable(): number {
    return this.state === BODY ? this.remaining + this.pad : this.state === SKIP ? this.skip : 0;
  }

  /** Pass over the `skippable()` bytes unread: a member's content ends (`end`) with no more `data`. */
  skipContent(): void {
    const n = this.skippable();
    if (this.state === BODY) this.sink.end();
    this.remaining = 0;
    this.skip = 0;
    this.state = HEADER;
    this.base += n;
  }

  /** The stream ended: anything but a clean member boundary is a truncated tar. */
  finish(): void {
    if (this.state !== HEADER || this.held !== 0 || this.localPax || this.longPath !== undefined || this.longLink !== undefined) {
      throw new InputError(`${this.what}: truncated tar (unexpected end of data)`);
    }
  }

  private skipThen(bytes: number): void {
    this.skip = bytes;
    this.state = bytes === 0 ? HEADER : SKIP;
  }

  /** A 512-byte block at `b[off]`; `next` is the absolute offset of the byte after it. */
  private onBlock(b: Buffer, off: number, next: number): void {
    if (this.state === SPARSE_EXT) {
      // old GNU sparse maps continue in extension blocks until one says it is the last (byte 504)
      if (b[off + 504] === 0) this.emit(this.pending!, next);
      return;
    }
    if (isZeroBlock(b, off)) return; // end-of-archive marker (and any padding after it)
    if (!checksumMatches(b, off)) {
      throw new InputError(`${this.what}: not a valid tar (bad header checksum at byte ${next - BLOCK})`);
    }
    const h = decodeHeader(b, off);
    if (!(h.size >= 0)) throw new InputError(`${this.what}: not a valid tar (negative size in the header of ${h.name})`);
    switch (h.type) {
      case 'pax-header':
      case 'pax-global-header':
      case 'gnu-long-path':
      case 'gnu-long-link-path':
        if (h.size > MAX_LONG_HEADER) {
          throw new InputError(`${this.what}: not a valid tar (a ${h.size}-byte ${h.type} record at byte ${next - BLOCK})`);
        }
        if (h.size === 0) return;
        this.long = Buffer.allocUnsafe(h.size);
        this.longFill = 0;
        this.longType = h.type;
        this.state = LONG;
        return;
    }
    this.applyPending(h);
    if (h.type === 'gnu-sparse' && b[off + 482] !== 0) {
      this.pending = h;
      this.state = SPARSE_EXT;
      return;
    }
    this.emit(h, next);
  }

  private applyLong(body: Buffer): void {
    switch (this.longType) {
      case 'pax-header':
        this.localPax = { ...this.localPax, ...decodePax(body) };
        break;
      case 'pax-global-header': {
        const global = { ...this.globalPax };
        for (const [k, v] of Object.entries(decodePax(body))) if (!LOCAL_ONLY.has(k)) global[k] = v;
        this.globalPax = global;
        break;
      }
      case 'gnu-long-path':
        this.longPath = readString(body, 0, body.length);
        break;
      default:
        this.longLink = readString(body, 0, body.length);
    }
  }

  /** GNU long names, then PAX records (global under local), override the header's own fields. */
  private applyPending(h: TarHeader): void {
    if (this.longPath !== undefined) h.name = this.longPath;
    if (this.longLink !== undefined) h.linkname = this.longLink;
    this.longPath = this.longLink = undefined;
    const pax = this.localPax ? (this.globalPax ? { ...this.globalPax, ...this.localPax } : this.localPax) : this.globalPax;
    this.localPax = undefined;
    if (!pax) return;
    h.pax = pax;
    if (pax['path'] !== undefined) h.name = pax['path'];
    if (pax['linkpath'] !== undefined) h.linkname = pax['linkpath'];
    h.size = paxNumber(pax['size'], h.size);
    h.uid = paxNumber(pax['uid'], h.uid);
    h.gid = paxNumber(pax['gid'], h.gid);
    h.mtime = paxNumber(pax['mtime'], h.mtime);
    if (!Number.isSafeInteger(h.size) || h.size < 0) throw new InputError(`${this.what}: not a valid tar (PAX size ${pax['size']} for ${h.name})`);
  }

  private emit(h: TarHeader, next: number): void {
    h.byteOffset = next;
    this.sink.entry(h);
    if (h.size === 0) {
      this.sink.end();
      this.state = HEADER;
    } else if (h.type === 'directory') {
      // a directory's size has no meaning for its content; its bytes, if any, are skipped
      this.sink.end();
      this.skipThen(h.size + padOf(h.size));
    } else {
      this.remaining = h.size;
      this.pad = padOf(h.size);
      this.state = BODY;
    }
  }
}

function paxNumber(v: string | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  // PAX mtime may carry a fraction of a second
  return Number.isFinite(n) ? n : fallback;
}
