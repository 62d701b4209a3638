/**
 * Mutations of a seed, each drawn from a PRNG that (seed, case number) alone determines: edits of file contents
 * (ELF headers, passwd, shebangs, PEM, dpkg status, ld.so.conf), of config fields, of a layer's decompressed tar
 * (header fields with the checksum kept valid, bit flips) before it is compressed again with every digest matching,
 * and of the archive's own bytes (bit flips, truncation, chunks duplicated or deleted, outer tar header edits).
 */
import type { TarItem } from '../helpers/buildArchive.js';
import type { Seed } from './seeds.js';

/** mulberry32: small, fast, and the same sequence on every machine. */
export class Rng {
  private state: number;

  constructor(seed: number, caseNo: number) {
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(caseNo + 1, 0xc2b2ae35)) >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/** Interesting numbers: edges of the sizes and offsets parsers compute with. */
const EDGES = [0, 1, 2, 7, 8, 31, 32, 55, 56, 63, 64, 100, 255, 256, 511, 512, 4095, 4096, 65535, 65536, 0x7fffffff, 0xffffffff, 2 ** 32, 2 ** 53, 2 ** 62];

function edge(rng: Rng): number {
  return rng.next() < 0.7 ? rng.pick(EDGES) : rng.int(1 << 20);
}

// ---- the bytes of a tar: its header blocks, and edits that keep each header's checksum valid ----

/** Offsets of the header blocks of a tar, walking sizes as a reader would (stops at anything unreadable). */
export function headerOffsets(tar: Buffer): number[] {
  const out: number[] = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    if (tar.subarray(off, off + 512).every((b) => b === 0)) break;
    out.push(off);
    const size = parseInt(tar.toString('latin1', off + 124, off + 136).replace(/[\0 ]/g, '') || '0', 8);
    if (!Number.isFinite(size) || size < 0) break;
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

export function fixChecksum(tar: Buffer, off: number): void {
  tar.fill(0x20, off + 148, off + 156);
  let sum = 0;
  for (let i = off; i < off + 512; i++) sum += tar[i]!;
  tar.write(sum.toString(8).padStart(6, '0') + '\0 ', off + 148, 'latin1');
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0').slice(-(width - 1)) + '\0';
}

/** One header field edited, the checksum recomputed so the header still reads as valid. */
function editHeader(rng: Rng, input: Buffer): Buffer {
  const tar = Buffer.from(input);
  const offsets = headerOffsets(tar);
  if (offsets.length === 0) return tar;
  const off = rng.pick(offsets);
  switch (rng.int(9)) {
    case 0: // size: octal edges, or GNU base-256 (huge)
      if (rng.next() < 0.5) tar.write(octal(edge(rng), 12), off + 124, 'latin1');
      else {
        tar.fill(0, off + 124, off + 136);
        tar[off + 124] = 0x80;
        tar.writeUIntBE(rng.int(2 ** 40), off + 130, 6);
        tar[off + 128] = rng.int(256);
      }
      break;
    case 1: // typeflag
      tar[off + 156] = rng.pick([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x78, 0x67, 0x4c, 0x4b, 0x53, 0x56, 0x4d, 0, rng.int(256)]);
      break;
    case 2: // name: traversal, absolute, long, binary, whiteouts
      tar.fill(0, off, off + 100);
      tar.write(rng.pick(['../../etc/passwd', '/etc/passwd', 'a/'.repeat(49), '.wh..wh..opq', 'etc/.wh.passwd', '.wh.', './', '', 'manifest.json', 'index.json']) + (rng.next() < 0.2 ? rng.bytes(8).toString('latin1') : ''), off, 'latin1');
      break;
    case 3: // linkname
      tar.fill(0, off + 157, off + 257);
      tar.write(rng.pick(['/', '../../../../', 'bin/true', '/etc/passwd', 'x'.repeat(100), rng.bytes(20).toString('latin1')]).slice(0, 100), off + 157, 'latin1');
      break;
    case 4: // mode, uid, gid
      tar.write(octal(edge(rng), 8), off + rng.pick([100, 108, 116]), 'latin1');
      break;
    case 5: // magic and version wiped or altered (v7, GNU, junk)
      tar.write(rng.pick(['\0\0\0\0\0\0\0\0', 'ustar  \0', 'ustar\x0000', 'USTAR\0xx']), off + 257, 'latin1');
      break;
    case 6: // the ustar prefix field
      tar.write('p'.repeat(rng.int(155)) + '/', off + 345, 'latin1');
      break;
    case 7: // device numbers and mtime
      tar.write(octal(edge(rng), 12), off + 136, 'latin1');
      tar.write(octal(edge(rng), 8), off + 329, 'latin1');
      break;
    default: // a random byte anywhere in the header but the checksum
      tar[off + rng.pick([rng.int(148), 156 + rng.int(356)])] = rng.int(256);
  }
  fixChecksum(tar, off);
  return tar;
}

// ---- the bytes of anything ----

function flipBits(rng: Rng, b: Buffer): Buffer {
  const out = Buffer.from(b);
  for (let n = 1 + rng.int(8); n > 0 && out.length > 0; n--) out[rng.int(out.length)]! ^= 1 << rng.int(8);
  return out;
}

function truncate(rng: Rng, b: Buffer): Buffer {
  return b.subarray(0, rng.next() < 0.5 ? rng.int(b.length) : b.length - 1 - rng.int(Math.min(b.length, 1100)));
}

function duplicateChunk(rng: Rng, b: Buffer): Buffer {
  const at = rng.int(b.length);
  const len = 1 + rng.int(Math.min(4096, b.length - at));
  return Buffer.concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)]);
}

function deleteChunk(rng: Rng, b: Buffer): Buffer {
  const at = rng.int(b.length);
  return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + rng.int(Math.min(4096, b.length - at)))]);
}

function insertBytes(rng: Rng, b: Buffer): Buffer {
  const at = rng.int(b.length + 1);
  return Buffer.concat([b.subarray(0, at), rng.bytes(1 + rng.int(64)), b.subarray(at)]);
}

const BYTE_EDITS = [flipBits, truncate, duplicateChunk, deleteChunk, insertBytes];

// ---- file contents ----

function fileOf(items: TarItem[], name: string): TarItem | undefined {
  return items.find((i) => i.name === name && i.content !== undefined);
}

/** ELF header and program-header fields set to edge values, or the file cut short. */
function editElf(rng: Rng, elf: Buffer): Buffer {
  const out = Buffer.from(elf);
  if (out.length < 64) return out;
  const wide = out[4] === 2;
  const phoff = wide ? Number(out.readBigUInt64LE(32)) : out.readUInt32LE(28);
  const phentsize = out.readUInt16LE(wide ? 54 : 42);
  const phnum = out.readUInt16LE(wide ? 56 : 44);
  switch (rng.int(7)) {
    case 0:
      out[rng.pick([4, 5, 6])] = rng.int(4); // class, data, version
      break;
    case 1:
      if (wide) out.writeBigUInt64LE(BigInt(Math.min(edge(rng), 2 ** 63)), 32);
      else out.writeUInt32LE(edge(rng) >>> 0, 28);
      break;
    case 2:
      out.writeUInt16LE(edge(rng) & 0xffff, wide ? 54 : 42);
      break;
    case 3:
      out.writeUInt16LE(edge(rng) & 0xffff, wide ? 56 : 44);
      break;
    case 4: {
      // one program header's offset or size (PT_INTERP, PT_DYNAMIC live here)
      if (phnum === 0 || phentsize < 40) break;
      const at = phoff + rng.int(phnum) * phentsize + (wide ? rng.pick([8, 32]) : rng.pick([4, 16]));
      if (at + 8 <= out.length) {
        if (wide) out.writeBigUInt64LE(BigInt(Math.min(edge(rng), 2 ** 63)), at);
        else out.writeUInt32LE(edge(rng) >>> 0, at);
      }
      break;
    }
    case 5:
      return out.subarray(0, rng.pick([16, 52, 63, 64, 65, 100, 120, 200, 1000, phoff + 8, phoff + phentsize]));
    default:
      return flipBits(rng, out);
  }
  return out;
}

function garbageText(rng: Rng): string {
  return rng.pick([
    '',
    ':',
    '::::::::',
    'root:x:notanumber:0:root:/root:/bin/sh\n',
    'x'.repeat(rng.int(300_000)),
    'a:b\n'.repeat(rng.int(5000)),
    '\0\0\0\n',
    'app:x:-1:99999999999999999999::\n',
    rng.bytes(rng.int(2000)).toString('latin1'),
    '\n'.repeat(rng.int(1000)),
  ]);
}

const CONTENT_EDITS: Array<(rng: Rng, items: TarItem[]) => void> = [
  (rng, items) => {
    const f = fileOf(items, 'bin/true') ?? fileOf(items, 'app/tool');
    if (f) f.content = editElf(rng, Buffer.from(f.content!));
  },
  (rng, items) => {
    const f = fileOf(items, rng.pick(['etc/passwd', 'etc/group', 'etc/shadow']));
    if (f) f.content = rng.next() < 0.5 ? garbageText(rng) : Buffer.from(f.content!).toString() + garbageText(rng);
  },
  (rng, items) => {
    const f = fileOf(items, 'app/run.sh');
    if (f) f.content = rng.pick(['#!', '#!\n', '#!' + ' '.repeat(300), '#!/bin/sh' + 'x'.repeat(rng.int(1000)), '#!\0\xff', '#! /usr/bin/env -S a b c\n', '#!relative/sh\n', '#!/bin/sh\r\n']);
  },
  (rng, items) => {
    const f = fileOf(items, 'app/key.pem');
    if (f) f.content = Buffer.from(f.content!).subarray(0, rng.int(40)).toString() + garbageText(rng);
  },
  (rng, items) => {
    const f = fileOf(items, 'var/lib/dpkg/status');
    if (f) f.content = rng.pick(['Package:\n', 'Package: x\nStatus:\n\n', 'Status: install ok installed\n', ':' + 'v'.repeat(100_000), garbageText(rng)]);
  },
  (rng, items) => {
    const f = fileOf(items, rng.pick(['etc/ld.so.conf', 'etc/ld.so.conf.d/x.conf']));
    if (f) f.content = rng.pick(['include /etc/ld.so.conf\n', 'include *\n', 'include /etc/[\n', 'include /etc/ld.so.conf.d/**/*.conf\n', 'include (a|b)+$\n', '/\0\n', 'include\n', garbageText(rng)]);
  },
];

// ---- config fields ----

const ODD_VALUES: unknown[] = [null, 0, -1, 1e300, '', 'x'.repeat(10_000), [], [null], [1, 2], {}, { a: 1 }, true, '0:0', 'nobody:nogroup', '65534', 'app:', ':'];

function editConfig(rng: Rng, seed: Seed): void {
  const c = seed.config;
  const was = c['config'];
  const inner = (typeof was === 'object' && was !== null && !Array.isArray(was) ? was : {}) as Record<string, unknown>;
  switch (rng.int(5)) {
    case 0:
      inner[rng.pick(['User', 'Entrypoint', 'Cmd', 'Env', 'WorkingDir', 'Labels', 'Healthcheck', 'ExposedPorts', 'Volumes'])] = rng.pick(ODD_VALUES);
      c['config'] = inner;
      break;
    case 1:
      c[rng.pick(['architecture', 'os', 'variant', 'created'])] = rng.pick(ODD_VALUES);
      break;
    case 2:
      c['history'] = rng.pick([[], null, 'x', [{ empty_layer: true }], [{}, {}, {}, {}, {}, {}], [{ created_by: 1 }]]);
      break;
    case 3:
      c['config'] = rng.pick(ODD_VALUES);
      break;
    default:
      c[rng.pick(['config', 'history', 'rootfs'])] = undefined;
  }
}

export type ArchiveEdit = (archive: Buffer) => Buffer;

/** Draw a case's mutations: edits applied to the seed now, and edits of the assembled archive's bytes returned. */
export function mutate(rng: Rng, seed: Seed): { applied: string[]; archiveEdits: ArchiveEdit[] } {
  const applied: string[] = [];
  const archiveEdits: ArchiveEdit[] = [];
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const kind = rng.int(10);
    const layer = seed.layers[rng.int(seed.layers.length)]!;
    if (kind <= 2) {
      const i = rng.int(CONTENT_EDITS.length);
      CONTENT_EDITS[i]!(rng, layer.items);
      applied.push(`content#${i}`);
    } else if (kind === 3) {
      editConfig(rng, seed);
      applied.push('config');
    } else if (kind <= 5) {
      const r = new Rng(rng.int(2 ** 31), 0);
      const edit = rng.next() < 0.7 ? editHeader : rng.pick(BYTE_EDITS);
      layer.tarEdits.push((t) => edit(r, t));
      applied.push('layer-tar');
    } else if (kind === 6) {
      layer.compression = rng.pick(['none', 'gzip', 'zstd'] as const);
      applied.push(`recompress-${layer.compression}`);
    } else if (kind === 7) {
      const r = new Rng(rng.int(2 ** 31), 0);
      archiveEdits.push((a) => editHeader(r, a));
      applied.push('outer-header');
    } else {
      const r = new Rng(rng.int(2 ** 31), 0);
      const edit = rng.pick(BYTE_EDITS);
      archiveEdits.push((a) => edit(r, a));
      applied.push(`bytes-${edit.name}`);
    }
  }
  return { applied, archiveEdits };
}
