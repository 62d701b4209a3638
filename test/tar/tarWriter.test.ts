/**
 * fathom's tar header writer (strip's output) against GNU tar: each case is a header fathom writes, and GNU tar's
 * verbose listing and extraction of the archive are the oracle, with the expected lines written by hand. The long
 * cases are the ones ustar cannot hold alone: a name split into ustar's prefix and name, a name or link target PAX
 * must carry, ids past ustar's octal fields, non-ASCII names.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TarParser } from '../../src/tar/tarParser.js';
import type { TarHeader } from '../../src/tar/tarHeader.js';
import { END_OF_ARCHIVE, encodeTarHeader, paddingOf, writeSimpleTarHeader, type WriteHeader } from '../../src/tar/tarWriter.js';

const work = mkdtempSync(join(tmpdir(), 'fathom-tar-writer-'));
after(() => rmSync(work, { recursive: true, force: true }));

const long120 = 'd'.repeat(120);
const comp200 = 'x'.repeat(200);
const base = { mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 1700000000 };

interface Case {
  readonly h: WriteHeader;
  readonly content?: string;
  /** GNU tar's `-tv --numeric-owner` line for it, spaces collapsed, the date and time left out. */
  readonly listed: string;
  /** Whether one ustar block holds it (writeSimpleTarHeader writes it; false: it needs PAX or the prefix). */
  readonly simple: boolean;
}

const CASES: readonly Case[] = [
  { h: { ...base, name: 'etc/', type: 'directory', mode: 0o755 }, listed: 'drwxr-xr-x 0/0 0 etc/', simple: true },
  { h: { ...base, name: 'etc/hosts', type: 'file', size: 10, uid: 101, gid: 102 }, content: '127.0.0.1\n', listed: '-rw-r--r-- 101/102 10 etc/hosts', simple: true },
  { h: { ...base, name: 'bin/sh', type: 'symlink', linkname: 'busybox', mode: 0o777 }, listed: 'lrwxrwxrwx 0/0 0 bin/sh -> busybox', simple: true },
  { h: { ...base, name: 'usr/bin/sudo', type: 'file', size: 3, mode: 0o4755 }, content: 'elf', listed: '-rwsr-xr-x 0/0 3 usr/bin/sudo', simple: true },
  { h: { ...base, name: 'dev/null', type: 'character-device', mode: 0o666, devmajor: 1, devminor: 3 }, listed: 'crw-rw-rw- 0/0 1,3 dev/null', simple: true },
  { h: { ...base, name: 'dev/sda1', type: 'block-device', mode: 0o660, gid: 6, devmajor: 8, devminor: 1 }, listed: 'brw-rw---- 0/6 8,1 dev/sda1', simple: true },
  { h: { ...base, name: 'run/fifo', type: 'fifo', mode: 0o600 }, listed: 'prw------- 0/0 0 run/fifo', simple: true },
  // exactly 100 bytes: the whole name field, no NUL
  { h: { ...base, name: 'n/' + 'a'.repeat(98), type: 'file', size: 1 }, content: '1', listed: `-rw-r--r-- 0/0 1 n/${'a'.repeat(98)}`, simple: true },
  // 129 bytes: ustar's prefix holds the directory
  { h: { ...base, name: `opt/${long120}/file.txt`, type: 'file', size: 2 }, content: 'ok', listed: `-rw-r--r-- 0/0 2 opt/${long120}/file.txt`, simple: false },
  // a last component over 100 bytes: no split fits, PAX carries the path
  { h: { ...base, name: `opt/${comp200}`, type: 'file', size: 3 }, content: 'pax', listed: `-rw-r--r-- 0/0 3 opt/${comp200}`, simple: false },
  // over 256 bytes in all
  { h: { ...base, name: `opt/${'w'.repeat(200)}/${'y'.repeat(90)}.txt`, type: 'file', size: 4 }, content: 'long', listed: `-rw-r--r-- 0/0 4 opt/${'w'.repeat(200)}/${'y'.repeat(90)}.txt`, simple: false },
  { h: { ...base, name: 'opt/link', type: 'symlink', linkname: 'z'.repeat(150), mode: 0o777 }, listed: `lrwxrwxrwx 0/0 0 opt/link -> ${'z'.repeat(150)}`, simple: false },
  // ids past 2^21 - 1 (ustar's 7 octal digits) go in PAX
  { h: { ...base, name: 'home/big-ids', type: 'file', size: 2, uid: 3000000, gid: 4000000 }, content: 'id', listed: '-rw-r--r-- 3000000/4000000 2 home/big-ids', simple: false },
  { h: { ...base, name: 'opt/ünïcødé ✓.txt', type: 'file', size: 5 }, content: 'utf-8', listed: '-rw-r--r-- 0/0 5 opt/ünïcødé ✓.txt', simple: true },
  // 98 characters, 196 bytes: too long in bytes for the name field, split at the `/`
  { h: { ...base, name: `u/${'é'.repeat(97)}`, type: 'file', size: 1 }, content: 'u', listed: `-rw-r--r-- 0/0 1 u/${'é'.repeat(97)}`, simple: false },
];

/** The archive of the cases: each header as strip writes it (in place when simple, else encoded), its content, padding. */
function archiveOf(cases: readonly Case[]): Buffer {
  const parts: Buffer[] = [];
  for (const c of cases) {
    const block = Buffer.alloc(512);
    const simple = writeSimpleTarHeader(c.h, block, 0);
    assert.equal(simple, c.simple, `${c.h.name}: one ustar block holds it`);
    const header = simple ? block : encodeTarHeader(c.h);
    if (simple) assert.deepEqual(header, encodeTarHeader(c.h), `${c.h.name}: written in place as encoded`);
    parts.push(header);
    if (c.content !== undefined) {
      const body = Buffer.from(c.content);
      parts.push(body, Buffer.alloc(paddingOf(body.length)));
    }
  }
  parts.push(END_OF_ARCHIVE);
  return Buffer.concat(parts);
}

test('GNU tar lists every header as written: types, modes, owners, device numbers, names and link targets of any length', () => {
  const file = join(work, 'cases.tar');
  writeFileSync(file, archiveOf(CASES));
  const listing = execFileSync('tar', ['--numeric-owner', '-tvf', file], { env: { ...process.env, LC_ALL: 'C.UTF-8' } })
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.replace(/ \d{4}-\d\d-\d\d \d\d:\d\d /, ' ').replace(/\s+/g, ' '));
  assert.deepEqual(listing, CASES.map((c) => c.listed));
});

test('GNU tar extracts the contents, the link targets and the time; fathom\'s parser reads the same names back', () => {
  const plain = CASES.filter((c) => c.h.type === 'file' || c.h.type === 'symlink' || c.h.type === 'directory');
  const file = join(work, 'extract.tar');
  writeFileSync(file, archiveOf(plain));
  const dir = mkdtempSync(join(work, 'x-'));
  execFileSync('tar', ['-xf', file, '-C', dir, '--no-same-owner']);
  for (const c of plain) {
    const at = join(dir, c.h.name);
    if (c.h.type === 'file') assert.equal(readFileSync(at, 'utf8'), c.content, c.h.name);
    if (c.h.type === 'symlink') assert.equal(readlinkSync(at), c.h.linkname, c.h.name);
    if (c.h.type !== 'symlink') assert.equal(lstatSync(at).mtimeMs, 1700000000 * 1000, c.h.name);
  }
  const seen: TarHeader[] = [];
  const parser = new TarParser('extract.tar', { entry: (h) => seen.push(h), data: () => {}, end: () => {} });
  parser.write(readFileSync(file));
  parser.finish();
  assert.deepEqual(
    seen.map((h) => [h.name.replace(/\/$/, ''), h.linkname, h.size]),
    plain.map((c) => [c.h.name.replace(/\/$/, ''), c.h.linkname ?? '', c.h.size]),
  );
});
