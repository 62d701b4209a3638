/**
 * One tar header block (ustar, GNU or v7), decoded by hand: on a layer of 50,000 whiteouts the per-entry cost of
 * the parser is the whole cost of reading, so this avoids every allocation a general decoder makes.
 */

export const BLOCK = 512;

/** What a member is, after PAX and GNU long-name records have been applied to it. */
export type TarEntryType =
  | 'file'
  | 'link'
  | 'symlink'
  | 'character-device'
  | 'block-device'
  | 'directory'
  | 'fifo'
  | 'contiguous-file'
  | 'pax-header'
  | 'pax-global-header'
  | 'gnu-long-path'
  | 'gnu-long-link-path'
  | 'gnu-sparse'
  | 'other';

export interface TarHeader {
  name: string;
  linkname: string;
  type: TarEntryType;
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of content that follow the header (a PAX `size` overrides the header's field). */
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** Offset of the member's first content byte in the tar stream. */
  byteOffset: number;
  /** A character or block device's numbers (0 for every other member). */
  devmajor: number;
  devminor: number;
  /** The PAX records that applied to this member (global ones merged under local ones), if any. */
  pax: Readonly<Record<string, string>> | undefined;
}

const TYPES: Record<number, TarEntryType> = {
  0: 'file',
  0x30: 'file',
  0x31: 'link',
  0x32: 'symlink',
  0x33: 'character-device',
  0x34: 'block-device',
  0x35: 'directory',
  0x36: 'fifo',
  0x37: 'contiguous-file',
  0x78: 'pax-header', // x
  0x67: 'pax-global-header', // g
  0x4c: 'gnu-long-path', // L
  0x4b: 'gnu-long-link-path', // K
  0x53: 'gnu-sparse', // S
};

/** A numeric field: octal digits (leading spaces or NULs allowed), or GNU base-256 when the top bit is set. */
export function readNumber(b: Uint8Array, off: number, len: number): number {
  const end = off + len;
  if (b[off]! & 0x80) {
    // 0xff starts a negative number: never valid for the fields we read
    if (b[off] === 0xff) return -1;
    let v = b[off]! & 0x7f;
    for (let i = off + 1; i < end; i++) v = v * 256 + b[i]!;
    return v;
  }
  let i = off;
  while (i < end && (b[i] === 0x20 || b[i] === 0)) i++;
  let v = 0;
  for (; i < end; i++) {
    const c = b[i]! - 0x30;
    if (c < 0 || c > 7) break;
    v = v * 8 + c;
  }
  return v;
}

/** A NUL-terminated text field (UTF-8). */
export function readString(b: Buffer, off: number, len: number): string {
  let end = off;
  const max = off + len;
  while (end < max && b[end] !== 0) end++;
  return end === off ? '' : b.toString('utf8', off, end);
}

export function isZeroBlock(b: Uint8Array, off: number): boolean {
  for (let i = off; i < off + BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

let cachedBuffer: ArrayBufferLike | undefined;
let cachedWords: Uint32Array | undefined;

/** A word view of a chunk's whole buffer, made once per chunk rather than once per header. */
function wordsOf(buffer: ArrayBufferLike): Uint32Array | undefined {
  if (buffer !== cachedBuffer) {
    cachedBuffer = buffer;
    cachedWords = buffer.byteLength % 4 === 0 ? new Uint32Array(buffer) : undefined;
  }
  return cachedWords;
}

/** The header checksum: unsigned (POSIX) or signed (some historic writers), with the field itself as spaces. */
export function checksumMatches(b: Uint8Array, off: number): boolean {
  // this runs for every member and was the parser's largest cost: sum four bytes a step when the block is aligned
  let sum = 0;
  const end = off + BLOCK;
  const at = b.byteOffset + off;
  const words = wordsOf(b.buffer);
  if ((at & 3) === 0 && words) {
    // two 16-bit lanes; 128 words add at most 65,280 to a lane, so lanes never carry into each other
    let lanes = 0;
    for (let i = at >>> 2, e = i + BLOCK / 4; i < e; i++) {
      const w = words[i]!;
      lanes += (w & 0x00ff00ff) + ((w >>> 8) & 0x00ff00ff);
    }
    sum = (lanes % 65536) + Math.floor(lanes / 65536);
  } else {
    for (let i = off; i < end; i++) sum += b[i]!;
  }
  for (let i = off + 148; i < off + 156; i++) sum -= b[i]!;
  sum += 8 * 0x20;
  const stored = readNumber(b, off + 148, 8);
  if (stored === sum) return true;
  for (let i = off; i < end; i++) if (b[i]! > 127 && (i < off + 148 || i >= off + 156)) sum -= 256;
  return stored === sum;
}

function isUstar(b: Uint8Array, off: number): boolean {
  // "ustar\0" (POSIX) — GNU's "ustar  \0" has no prefix field, its bytes there are atime/ctime
  return b[off + 257] === 0x75 && b[off + 258] === 0x73 && b[off + 259] === 0x74 && b[off + 260] === 0x61 && b[off + 261] === 0x72 && b[off + 262] === 0;
}

/** Decode the fields of a header block whose checksum has been checked. PAX and long names are applied by the parser. */
export function decodeHeader(b: Buffer, off: number): TarHeader {
  const flag = b[off + 156]!;
  let name = readString(b, off, 100);
  if (isUstar(b, off) && b[off + 345] !== 0) name = readString(b, off + 345, 155) + '/' + name;
  let type = TYPES[flag] ?? 'other';
  // pre-POSIX tars mark directories only by a trailing slash
  if (type === 'file' && flag !== 0x37 && name.endsWith('/')) type = 'directory';
  return {
    name,
    linkname: readString(b, off + 157, 100),
    type,
    mode: readNumber(b, off + 100, 8),
    uid: readNumber(b, off + 108, 8),
    gid: readNumber(b, off + 116, 8),
    size: readNumber(b, off + 124, 12),
    mtime: readNumber(b, off + 136, 12),
    byteOffset: 0,
    // read for devices only: this runs for every member
    devmajor: flag === 0x33 || flag === 0x34 ? readNumber(b, off + 329, 8) : 0,
    devminor: flag === 0x33 || flag === 0x34 ? readNumber(b, off + 337, 8) : 0,
    pax: undefined,
  };
}

/** PAX extended header records: `LEN key=value\n`, LEN counting the whole record in bytes. */
export function decodePax(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    let sp = i;
    while (sp < body.length && body[sp] !== 0x20) sp++;
    const len = Number(body.toString('latin1', i, sp));
    // a malformed record (or NUL padding some writers add) ends the list: what came before still applies
    if (!Number.isInteger(len) || len <= sp - i || i + len > body.length) break;
    const record = body.toString('utf8', sp + 1, i + len - 1); // without the trailing newline
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}
