// strip's second read of gzip layers, which are decompressed only as far as the writer has asked: files the stream
// brings before they are wanted (held in memory, or spooled when past the hold), a file over the writer's piece
// size, a hard link whose target is written twice, a layer with a path twice (read whole: only the later member
// counts), names ustar cannot hold alone. The oracle is GNU tar: the stripped layer it extracts must hold every
// file with the bytes the test put in, each written by hand below.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dockerArchive, type TarItem } from '../helpers/buildArchive.js';
import { busybox } from '../helpers/realBinaries.js';
import { runCli } from '../helpers/runCli.js';

const work = mkdtempSync(join(tmpdir(), 'fathom-strip-second-read-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** `size` bytes that differ along the file (so a piece written twice or out of place would show). */
function patterned(size: number, salt: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) b.writeUInt32LE((i * 2654435761 + salt) >>> 0, i);
  return b;
}

const DEEP = `opt/${'d'.repeat(120)}/file.txt`;
const WIDE = `opt/${'w'.repeat(200)}/${'y'.repeat(90)}.txt`;
const HUGE = patterned(20 << 20, 1); // past the 16 MiB hold: it goes to the spool when it comes early
const LARGE = patterned(3 << 20, 2); // past the 1 MiB piece the writer fills
const EARLY = Buffer.from('brought before it is asked for\n');

/** Layer 1 in an order that is not the output's sorted one: the largest files first, the small ones after. */
const GZIP_LAYER: TarItem[] = [
  { name: 'opt/' },
  { name: 'opt/zz-huge.bin', content: HUGE },
  { name: 'opt/zz-large.bin', content: LARGE },
  { name: 'opt/b-early.txt', content: EARLY },
  { name: 'opt/a-hard', type: 'link', linkname: 'opt/b-early.txt' },
  { name: 'opt/a.txt', content: 'first of opt\n', mode: 0o600, uid: 7, gid: 8 },
  { name: `opt/${'d'.repeat(120)}/` },
  { name: DEEP, content: 'deep\n' },
  { name: `opt/${'w'.repeat(200)}/` },
  { name: WIDE, content: 'wide\n' },
  { name: 'opt/ünïcødé.txt', content: 'utf-8 name\n' },
  { name: 'opt/link', type: 'symlink', linkname: 'z'.repeat(150) },
  { name: 'opt/empty', content: '' },
];

/** Layer 2: srv/dup.txt twice, the first longer: only the second is the file. */
const DUP_LAYER: TarItem[] = [
  { name: 'srv/' },
  { name: 'srv/dup.txt', content: 'the first member, which the second replaces\n' },
  { name: 'srv/other.txt', content: 'other\n' },
  { name: 'srv/dup.txt', content: 'second\n' },
];

test('gzip layers read as far as asked: every file of the stripped layer has the bytes put in, whatever order the stream had', async () => {
  const archive = join(work, 'lazy.tar');
  writeFileSync(
    archive,
    await dockerArchive([
      {
        tag: 'lazy:1',
        config: { Entrypoint: ['/bin/busybox', 'true'] },
        layers: [
          { items: [{ name: 'bin/' }, { name: 'bin/busybox', content: await busybox(), mode: 0o755 }], compression: 'none' },
          { items: GZIP_LAYER, compression: 'gzip' },
          { items: DUP_LAYER, compression: 'gzip' },
        ],
      },
    ]),
  );
  const out = join(work, 'stripped.tar');
  const r = runCli(['strip', archive, '-o', out, '--keep', '/**']);
  assert.equal(r.status, 0, r.stderr);

  const layer = execFileSync('tar', ['-tf', out]).toString().split('\n').find((n) => n.endsWith('/layer.tar'))!;
  const root = mkdtempSync(join(work, 'rootfs-'));
  execFileSync('bash', ['-c', 'tar -xOf "$1" "$2" | tar -xf - -C "$3" --no-same-owner', 'x', out, layer, root]);
  const file = (p: string) => readFileSync(join(root, p));
  assert.ok(file('bin/busybox').equals(await busybox()), 'bin/busybox, from the plain layer');
  assert.ok(file('opt/zz-huge.bin').equals(HUGE), 'opt/zz-huge.bin: spooled');
  assert.ok(file('opt/zz-large.bin').equals(LARGE), 'opt/zz-large.bin');
  assert.ok(file('opt/b-early.txt').equals(EARLY), 'opt/b-early.txt');
  // a hard link is written as a copy of its target's bytes, the target itself after it
  assert.ok(file('opt/a-hard').equals(EARLY), 'opt/a-hard');
  assert.equal(file('opt/a.txt').toString(), 'first of opt\n');
  assert.equal(file(DEEP).toString(), 'deep\n');
  assert.equal(file(WIDE).toString(), 'wide\n');
  assert.equal(file('opt/ünïcødé.txt').toString(), 'utf-8 name\n');
  assert.equal(readlinkSync(join(root, 'opt/link')), 'z'.repeat(150));
  assert.equal(file('opt/empty').length, 0);
  assert.equal(file('srv/dup.txt').toString(), 'second\n');
  assert.equal(file('srv/other.txt').toString(), 'other\n');

  const listing = execFileSync('bash', ['-c', 'tar -xOf "$1" "$2" | tar --numeric-owner -tvf -', 'list', out, layer]).toString();
  const line = (p: string) => listing.split('\n').find((l) => l.endsWith(` ${p}`))?.replace(/\s+/g, ' ').replace(/ \d{4}-\d\d-\d\d \d\d:\d\d /, ' ');
  assert.equal(line('opt/a.txt'), '-rw------- 7/8 13 opt/a.txt');
  assert.equal(line('opt/zz-huge.bin'), `-rw-r--r-- 0/0 ${20 << 20} opt/zz-huge.bin`);
  // every path once, in sorted order; tmp/ is the profile's (mode 1777)
  const names = listing.split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(5).join(' ').replace(/ -> .*/, ''));
  assert.deepEqual(names, [
    'bin/', 'bin/busybox', 'opt/', 'opt/a-hard', 'opt/a.txt', 'opt/b-early.txt', `opt/${'d'.repeat(120)}/`, DEEP, 'opt/empty', 'opt/link',
    `opt/${'w'.repeat(200)}/`, WIDE, 'opt/zz-huge.bin', 'opt/zz-large.bin', 'opt/ünïcødé.txt', 'srv/', 'srv/dup.txt', 'srv/other.txt', 'tmp/',
  ]);
});
