// Devices and FIFOs a --keep names are written to the stripped layer with their tar type, mode, owner and (for
// devices) major/minor numbers, read from the source on strip's second read. Checked with independent tools: GNU
// tar's listing of the written layer, and the nodes podman creates when it loads the archive.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dockerArchive, type TarItem } from '../helpers/buildArchive.js';
import { PrivatePodman } from '../helpers/privatePodman.js';
import { busybox } from '../helpers/realBinaries.js';
import { runCli } from '../helpers/runCli.js';
import { loadFile } from '../helpers/shared.js';

const work = mkdtempSync(join(tmpdir(), 'fathom-strip-devices-'));
let podman: PrivatePodman | undefined;
after(async () => {
  await podman?.close();
  rmSync(work, { recursive: true, force: true });
});

async function deviceImage(compression: 'none' | 'gzip'): Promise<string> {
  const items: TarItem[] = [
    { name: 'bin/' },
    { name: 'bin/busybox', content: await busybox(), mode: 0o755 },
    { name: 'dev/' },
    { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
    { name: 'dev/sda1', type: 'block-device', devmajor: 8, devminor: 1, mode: 0o660, gid: 6 },
    { name: 'dev/tty5', type: 'character-device', devmajor: 4, devminor: 5, mode: 0o620, gid: 5 },
    { name: 'run/' },
    { name: 'run/control', type: 'fifo', mode: 0o600, uid: 101, gid: 102 },
    { name: 'run/other', type: 'fifo', mode: 0o644 },
  ];
  const file = join(work, `devices-${compression}.tar`);
  writeFileSync(file, await dockerArchive([{ layers: [{ items, compression }], tag: 'devices:1', config: { Entrypoint: ['/bin/busybox'] } }]));
  return file;
}

/** GNU tar's verbose listing of the stripped archive's one layer, the lines for /dev and /run. */
function layerListing(out: string): string[] {
  const layer = execFileSync('tar', ['-tf', out]).toString().split('\n').find((n) => n.endsWith('/layer.tar'))!;
  const list = execFileSync('bash', ['-c', 'tar -xOf "$1" "$2" | tar --numeric-owner -tvf -', 'list', out, layer]).toString();
  return list.split('\n').filter((l) => / (dev|run)\/\S/.test(l)).map((l) => l.replace(/\s+/g, ' ').replace(/ \d{4}-\d\d-\d\d \d\d:\d\d /, ' '));
}

test('--keep of devices and a FIFO: tar lists c/b/p with their numbers, modes and owners; podman loads them as such', async () => {
  for (const compression of ['none', 'gzip'] as const) {
    const archive = await deviceImage(compression);
    const out = join(work, `stripped-${compression}.tar`);
    const r = runCli(['strip', archive, '-o', out, '--keep', '/dev/*', '--keep', '/run/control']);
    assert.equal(r.status, 0, r.stderr);
    // hand-written from the items above, in GNU tar's `-tv --numeric-owner` form (times left out)
    assert.deepEqual(layerListing(out), [
      'crw-rw-rw- 0/0 1,3 dev/null',
      'brw-rw---- 0/6 8,1 dev/sda1',
      'crw--w---- 0/5 4,5 dev/tty5',
      'prw------- 101/102 0 run/control',
    ], compression);
    const img = await loadFile(out);
    const kinds = new Map([...img.files.visiblePathIds()].map((p) => img.files.visible(p)!).map((e) => [e.path, e.kind]));
    assert.deepEqual(['/dev/null', '/dev/sda1', '/run/control', '/run/other'].map((p) => kinds.get(p) ?? 'absent'), ['char', 'block', 'fifo', 'absent']);
  }
  if (process.getuid?.() !== 0) return;
  podman = new PrivatePodman();
  const { rootfs } = await podman.loadAndUnpack(join(work, 'stripped-none.tar'));
  const st = (p: string) => statSync(join(rootfs, p));
  assert.ok(st('dev/null').isCharacterDevice());
  assert.deepEqual([st('dev/sda1').isBlockDevice(), st('dev/sda1').rdev], [true, (8 << 8) | 1]);
  assert.equal(st('dev/null').rdev, (1 << 8) | 3);
  assert.deepEqual([st('run/control').isFIFO(), st('run/control').mode & 0o7777, st('run/control').uid], [true, 0o600, 101]);
});
