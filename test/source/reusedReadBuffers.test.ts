// An archive file is read into a ring of reused 1 MiB buffers (src/source/openArchive.ts). Whatever a reader keeps
// past the chunks that held it must be a copy: a file's head while the rest of it streams (a PEM header, a shebang,
// an ELF's first MiB), a config spanning several chunks, the input a gunzip or zstd holds. Each is placed here so that
// it starts mid-chunk and runs on for several chunks, and the load through the ring must equal the load of the same
// bytes in fresh buffers, and find the facts written into them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage } from '../../src/archive/loadImage.js';
import type { FileEntry } from '../../src/model/entryTypes.js';
import type { EntryId } from '../../src/model/ids.js';
import type { Image } from '../../src/model/imageTypes.js';
import { openArchiveFile } from '../../src/source/openArchive.js';
import { loadSource } from '../../src/source/loadSource.js';
import { chunksOf, dockerArchive, type LayerCompression, type TarItem } from '../helpers/buildArchive.js';
import { fromDynamicOk } from '../helpers/realBinaries.js';

const MiB = 1 << 20;
const KEY = '-----BEGIN RSA PRIVATE KEY-----';

function entries(image: Image): string[] {
  const out: string[] = [];
  for (let id = 0; id < image.files.count; id++) out.push(JSON.stringify(image.files.entry(id as EntryId)));
  return out;
}

test('a file read into reused buffers loads as the same bytes in fresh buffers do', { timeout: 300_000 }, async () => {
  // Debian's ls, dynamic: its probe holds the interpreter and libraries, read from its head and dynamic section
  const ls = await fromDynamicOk('/usr/bin/ls');
  // zeros after an ELF's last segment leave its headers as they were
  const elf = Buffer.concat([ls, Buffer.alloc(6 * MiB - ls.length)]);
  const items = (dir: string): TarItem[] => [
    { name: `${dir}/filler`, content: Buffer.alloc(700_000, 7) },
    { name: `${dir}/ls`, content: elf, mode: 0o755 },
    { name: `${dir}/key.pem`, content: Buffer.concat([Buffer.from(`${KEY}\nMIIE\n`), Buffer.alloc(5 * MiB, 0x41)]) },
    { name: `${dir}/run.sh`, content: Buffer.concat([Buffer.from('#!/bin/sh -e\n'), Buffer.alloc(4 * MiB, 0x20)]) },
    // incompressible: a compressed layer of several chunks, which the decompressor's input buffers hold
    { name: `${dir}/random`, content: randomBytes(6 * MiB) },
  ];
  const layers = (['none', 'gzip', 'zstd'] as LayerCompression[]).map((compression) => ({ items: items(`/${compression}`), compression }));
  const label = 'x'.repeat(3.5 * MiB);
  const archive = await dockerArchive([{ layers, config: { Labels: { big: label }, Cmd: ['sh'] } }]);
  const path = join(mkdtempSync(join(tmpdir(), 'fathom-ring-')), 'image.tar');
  writeFileSync(path, archive);

  const ring = await loadSource(await openArchiveFile(path), { defaultPlatform: 'linux/amd64' });
  const fresh = await loadImage(chunksOf(archive, MiB), path, { defaultPlatform: 'linux/amd64' });
  assert.deepEqual(entries(ring), entries(fresh));
  assert.equal(ring.config.labels['big'], label);
  const alone = await loadImage(chunksOf(await dockerArchive([{ layers: [{ items: [{ name: 'ls', content: ls, mode: 0o755 }] }] }])), 'alone', {
    defaultPlatform: 'linux/amd64',
  });
  const lsProbe = (alone.files.visible(alone.files.paths.lookup('/ls')) as FileEntry).probe;
  assert.equal(lsProbe?.elf?.interpreter, '/lib64/ld-linux-x86-64.so.2');
  assert.ok(lsProbe.elf.needed.includes('libc.so.6'), 'ls needs libc');
  for (const dir of ['none', 'gzip', 'zstd']) {
    const file = (p: string) => ring.files.visible(ring.files.paths.lookup(`/${dir}/${p}`)) as FileEntry;
    assert.equal(file('key.pem').probe?.secretHeader, KEY, dir);
    assert.equal(file('run.sh').probe?.shebang, '/bin/sh -e', dir);
    assert.deepEqual(file('ls').probe, lsProbe, dir);
  }
});
