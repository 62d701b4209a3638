/**
 * Tar headers written by hand: ustar, with a PAX record for what ustar cannot hold (a long or split-less path, a
 * long link target, a size from 8 GiB, ids from 2^21). strip writes one header per kept path — 40,000 on a big
 * image — and encodes each straight into its output buffer, with no stream, promise or callback per entry.
 */
import { BLOCK } from './tarHeader.js';

export type WritableEntryType = 'file' | 'directory' | 'symlink' | 'character-device' | 'block-device' | 'fifo';

export interface WriteHeader {
  /** The member's name as the tar holds it (no leading `/`; a directory's ends in `/`). */
  readonly name: string;
  readonly type: WritableEntryType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
}

const TYPEFLAG: Record<WritableEntryType, string> = {
  file: '0',
  symlink: '2',
  'character-device': '3',
  'block-device': '4',
  directory: '5',
  fifo: '6',
};

/** The largest value an octal field of `width` bytes holds (width - 1 digits and a NUL). */
const octalMax = (width: number) => 8 ** (width - 1) - 1;

function octal(block: Buffer, at: number, width: number, value: number): void {
  if (value <= octalMax(width)) {
    block.write(value.toString(8).padStart(width - 1, '0') + '\0', at, width, 'latin1');
    return;
  }
  // base-256 (GNU), for the one field PAX has no key for: device numbers
  block[at] = 0x80;
  let v = BigInt(value);
  for (let i = at + width - 1; i > at; i--, v >>= 8n) block[i] = Number(v & 0xffn);
}

/** ustar's name split: a prefix of at most 155 bytes and a name of at most 100, at a `/`; undefined when none fits. */
function ustarSplit(name: Buffer): { prefix: Buffer; name: Buffer } | undefined {
  if (name.length <= 100) return { prefix: Buffer.alloc(0), name };
  if (name.length > 256) return undefined;
  for (let i = Math.min(155, name.length - 1); i > 0; i--) {
    if (name[i] !== 0x2f) continue;
    if (name.length - i - 1 > 100) return undefined;
    if (name.length - i - 1 === 0) continue;
    return { prefix: name.subarray(0, i), name: name.subarray(i + 1) };
  }
  return undefined;
}

/** One PAX record, `<length> <key>=<value>\n`, whose length counts its own digits. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = Buffer.byteLength(body);
  let length = bodyBytes + 1;
  while (String(length).length + bodyBytes !== length) length = String(length).length + bodyBytes;
  return `${length}${body}`;
}

/** The ustar header of `h` written into the zeroed 512 bytes at `into[at]`. */
function writeUstar(into: Buffer, at: number, h: WriteHeader, type: string, name: { prefix: Buffer | string; name: Buffer | string }, size: number, linkname: Buffer | string, ids: { uid: number; gid: number }): void {
  if (typeof name.name === 'string') into.write(name.name, at, 100, 'utf8');
  else name.name.copy(into, at);
  octal(into, at + 100, 8, h.mode & 0o7777);
  octal(into, at + 108, 8, ids.uid);
  octal(into, at + 116, 8, ids.gid);
  octal(into, at + 124, 12, size);
  octal(into, at + 136, 12, h.mtime);
  into.fill(0x20, at + 148, at + 156);
  into.write(type, at + 156, 1, 'latin1');
  if (typeof linkname === 'string') into.write(linkname, at + 157, 100, 'utf8');
  else linkname.copy(into, at + 157);
  into.write('ustar\0' + '00', at + 257, 8, 'latin1');
  octal(into, at + 329, 8, h.devmajor ?? 0);
  octal(into, at + 337, 8, h.devminor ?? 0);
  if (typeof name.prefix === 'string') into.write(name.prefix, at + 345, 155, 'utf8');
  else name.prefix.copy(into, at + 345);
  let sum = 0;
  for (let i = at; i < at + BLOCK; i++) sum += into[i]!;
  into.write(sum.toString(8).padStart(6, '0') + '\0 ', at + 148, 8, 'latin1');
}

const OCTAL8 = octalMax(8);
const OCTAL12 = octalMax(12);

/**
 * Writes the header of `h` into the zeroed block at `into[at]` when one ustar block holds it (a name of at most 100
 * bytes, a link target of at most 100, ids and size in their octal fields): the common case, with no allocation.
 * False when it needs `encodeTarHeader`.
 */
export function writeSimpleTarHeader(h: WriteHeader, into: Buffer, at: number): boolean {
  if (h.size > OCTAL12 || h.uid > OCTAL8 || h.gid > OCTAL8) return false;
  if (h.name.length > 100 || Buffer.byteLength(h.name) > 100) return false;
  const link = h.linkname ?? '';
  if (link.length > 100 || Buffer.byteLength(link) > 100) return false;
  writeUstar(into, at, h, TYPEFLAG[h.type], { prefix: '', name: h.name }, h.size, link, h);
  return true;
}

function ustarBlock(h: WriteHeader, type: string, name: { prefix: Buffer; name: Buffer }, size: number, linkname: Buffer, ids: { uid: number; gid: number }): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeUstar(block, 0, h, type, name, size, linkname, ids);
  return block;
}

/**
 * The blocks that precede a member's content: its ustar header, after a PAX extended header when a field does not
 * fit. The same entry always gives the same bytes (the PAX header's own name and time are fixed by the entry's).
 */
export function encodeTarHeader(h: WriteHeader): Buffer {
  const nameBytes = Buffer.from(h.name, 'utf8');
  const linkBytes = Buffer.from(h.linkname ?? '', 'utf8');
  const records: string[] = [];
  const split = ustarSplit(nameBytes);
  if (!split) records.push(paxRecord('path', h.name));
  if (linkBytes.length > 100) records.push(paxRecord('linkpath', h.linkname!));
  if (h.size > OCTAL12) records.push(paxRecord('size', String(h.size)));
  if (h.uid > OCTAL8) records.push(paxRecord('uid', String(h.uid)));
  if (h.gid > OCTAL8) records.push(paxRecord('gid', String(h.gid)));
  const ids = { uid: h.uid > OCTAL8 ? 0 : h.uid, gid: h.gid > OCTAL8 ? 0 : h.gid };
  const size = h.size > OCTAL12 ? 0 : h.size;
  const main = ustarBlock(h, TYPEFLAG[h.type], split ?? ustarSplit(truncated(nameBytes))!, size, linkBytes.length > 100 ? truncated(linkBytes) : linkBytes, ids);
  if (records.length === 0) return main;
  const pax = Buffer.from(records.join(''), 'utf8');
  const paxName = ustarSplit(truncated(Buffer.from(`PaxHeaders/${h.name.replace(/\/$/, '').split('/').pop() ?? ''}`, 'utf8')))!;
  const paxHeader = ustarBlock({ ...h, mode: 0o644 }, 'x', paxName, pax.length, Buffer.alloc(0), ids);
  const padded = Buffer.alloc(Math.ceil(pax.length / BLOCK) * BLOCK);
  pax.copy(padded);
  return Buffer.concat([paxHeader, padded, main]);
}

/** A name cut to ustar's 100 bytes, for the field a PAX `path` overrides (readers without PAX see something). */
function truncated(name: Buffer): Buffer {
  if (name.length <= 100) return name;
  // never cut inside a UTF-8 sequence
  let end = 100;
  while (end > 0 && (name[end]! & 0xc0) === 0x80) end--;
  return name.subarray(0, end);
}

/** Zero bytes that bring `size` bytes of content to a whole block. */
export const paddingOf = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** The two zero blocks that end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);
