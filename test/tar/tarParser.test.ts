/**
 * fathom's own tar parser against the formats real writers produce: the layers of every shared archive (checked
 * member by member against tar-stream), GNU tar's gnu/v7/pax/sparse output, and hand-made blocks for PAX global
 * records, bad checksums and truncation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { TarParser } from '../../src/tar/tarParser.js';
import { tarEntries } from '../../src/tar/tarEntries.js';
import type { TarHeader } from '../../src/tar/tarHeader.js';
import { sharedImages } from '../helpers/shared.js';

interface Member {
  name: string;
  type: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkname: string;
  byteOffset: number;
  sha: string;
  pax?: Readonly<Record<string, string>>;
}

/** Parse a whole tar, written in chunks of `step` bytes. */
function parse(bytes: Buffer, step = bytes.length, what = 't.tar'): Member[] {
  const out: Member[] = [];
  let hash = createHash('sha256');
  let current: TarHeader | undefined;
  const parser = new TarParser(what, {
    entry: (h) => {
      current = h;
      hash = createHash('sha256');
    },
    data: (c) => hash.update(c),
    end: () => {
      const h = current!;
      out.push({ name: h.name, type: h.type, size: h.size, mode: h.mode, uid: h.uid, gid: h.gid, linkname: h.linkname, byteOffset: h.byteOffset, sha: hash.digest('hex'), pax: h.pax });
    },
  });
  for (let i = 0; i < bytes.length; i += step) parser.write(bytes.subarray(i, Math.min(bytes.length, i + step)));
  parser.finish();
  return out;
}

/** The same members as tar-stream sees them. */
async function parseWithTarStream(bytes: Buffer): Promise<Omit<Member, 'pax'>[]> {
  const out: Omit<Member, 'pax'>[] = [];
  const extract = tar.extract();
  extract.on('entry', (h, stream, next) => {
    const hash = createHash('sha256');
    stream.on('data', (c: unknown) => hash.update(c as Buffer));
    stream.on('end', () => {
      const pax = h.pax as Record<string, string> | null;
      out.push({
        name: h.name,
        type: h.type ?? 'file',
        size: h.size ?? 0,
        mode: h.mode ?? 0,
        uid: pax?.['uid'] ? Number(pax['uid']) : h.uid ?? 0,
        gid: pax?.['gid'] ? Number(pax['gid']) : h.gid ?? 0,
        linkname: h.linkname ?? '',
        byteOffset: (h as { byteOffset?: number }).byteOffset ?? -1,
        sha: hash.digest('hex'),
      });
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    extract.end(bytes);
  });
  return out;
}

async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(c);
  return Buffer.concat(parts);
}

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

test('every layer of the shared docker-legacy archives parses member by member as tar-stream reads it', async () => {
  const archives = sharedImages().filter((p) => p.includes('/docker-legacy/'));
  assert.ok(archives.length >= 5, `found ${archives.length} archives`);
  let layers = 0;
  let members = 0;
  for (const path of archives) {
    for await (const { header, body } of tarEntries(chunksOf(readFileSync(path), 65536), path)) {
      if (!header.name.endsWith('layer.tar')) continue;
      const bytes = await collect(body);
      const expected = await parseWithTarStream(bytes);
      const ours = parse(bytes).map(({ pax: _pax, ...m }) => m);
      assert.deepEqual(ours, expected, `${path}: ${header.name}`);
      // chunk boundaries anywhere, including inside headers, change nothing
      assert.deepEqual(parse(bytes, 777).map(({ pax: _pax, ...m }) => m), expected);
      layers++;
      members += ours.length;
    }
  }
  assert.ok(layers >= 10 && members >= 500, `${layers} layers, ${members} members`);
});

test('an outer member left unread is skipped, and body offsets are where its bytes sit', async () => {
  const a = Buffer.from('first member body');
  const b = Buffer.alloc(3000, 7);
  const bytes = Buffer.concat(await packAll([{ name: 'a.txt', content: a }, { name: 'dir/', type: 'directory' }, { name: 'b.bin', content: b }]));
  const seen: string[] = [];
  for await (const { header, body } of tarEntries(chunksOf(bytes, 100), 'outer.tar')) {
    seen.push(`${header.name}:${header.type}:${header.size}`);
    if (header.name === 'b.bin') {
      const got = await collect(body);
      assert.deepEqual(got, b);
      assert.deepEqual(bytes.subarray(header.byteOffset, header.byteOffset + header.size), b);
    }
  }
  assert.deepEqual(seen, ['a.txt:file:17', 'dir/:directory:0', 'b.bin:file:3000']);
});

async function packAll(items: { name: string; content?: Buffer; type?: 'directory' }[]): Promise<Buffer[]> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  pack.on('data', (c: unknown) => parts.push(c as Buffer));
  for (const it of items) pack.entry({ name: it.name, type: it.type ?? 'file', mtime: new Date(0) }, it.content ?? Buffer.alloc(0));
  pack.finalize();
  await new Promise<void>((r) => pack.on('end', () => r()));
  return parts;
}

function gnuTar(args: string[], build: (dir: string) => void): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-tar-'));
  try {
    build(dir);
    execFileSync('tar', ['-C', dir, '-cf', join(dir, 'out.tar'), ...args]);
    return readFileSync(join(dir, 'out.tar'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('GNU tar: long names and link targets, base-256 ids, and a sparse file with extension blocks', () => {
  const long = 'd/' + 'n'.repeat(150) + '/' + 'x'.repeat(120);
  const target = '/' + 't'.repeat(200);
  const holes = [0, 100_000, 200_000, 300_000, 400_000, 500_000, 600_000];
  const bytes = gnuTar(['--format=gnu', '--sparse', '--owner=big:3000000000', '--group=g:2', '--mtime=@0', 'd'], (dir) => {
    mkdirSync(join(dir, 'd', 'n'.repeat(150)), { recursive: true });
    writeFileSync(join(dir, long), 'long name content');
    symlinkSync(target, join(dir, 'd', 'link'));
    writeFileSync(join(dir, 'd', 'sparse'), '');
    execFileSync('truncate', ['-s', '1M', join(dir, 'd', 'sparse')]);
    for (const at of holes) execFileSync('dd', [`of=${join(dir, 'd', 'sparse')}`, 'bs=1', `seek=${at}`, 'conv=notrunc', 'status=none'], { input: `data${at}` });
  });
  const members = parse(bytes, 1000);
  const byName = new Map(members.map((m) => [m.name, m]));
  const file = byName.get(long);
  assert.ok(file, `long name missing from ${[...byName.keys()].join(', ')}`);
  assert.equal(file.size, 17);
  assert.equal(file.sha, createHash('sha256').update('long name content').digest('hex'));
  assert.equal(file.uid, 3000000000);
  assert.equal(file.gid, 2);
  assert.equal(byName.get('d/link')?.linkname, target);
  assert.equal(byName.get('d/link')?.type, 'symlink');
  const sparse = byName.get('d/sparse');
  // seven data segments: four in the header, the rest in an extension block; GNU stores each as one 4 KiB block
  assert.equal(sparse?.type, 'gnu-sparse');
  assert.equal(sparse?.size, holes.length * 4096);
  const stored = Buffer.concat(
    holes.map((at) => {
      const block = Buffer.alloc(4096);
      block.write(`data${at}`, at % 4096);
      return block;
    }),
  );
  assert.equal(sparse?.sha, createHash('sha256').update(stored).digest('hex'), 'the stored segments, not the extension block');
  // what follows the sparse file still parses: the extension blocks were skipped, not read as headers
  assert.deepEqual(members.map((m) => m.name).sort(), ['d/', `d/${'n'.repeat(150)}/`, long, 'd/link', 'd/sparse'].sort());
});

test('GNU tar: v7 headers (no magic, directories by a trailing slash) and POSIX pax headers for long names', () => {
  const build = (dir: string) => {
    mkdirSync(join(dir, 'v', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'v', 'sub', 'f'), 'v7');
  };
  const v7 = parse(gnuTar(['--format=v7', '--mtime=@0', 'v'], build));
  assert.deepEqual(v7.map((m) => `${m.name}:${m.type}:${m.size}`), ['v/:directory:0', 'v/sub/:directory:0', 'v/sub/f:file:2']);
  const deep = 'p/' + 'q'.repeat(240);
  const pax = parse(
    gnuTar(['--format=pax', '--mtime=@0', '--owner=u:1234567890', 'p'], (dir) => {
      mkdirSync(join(dir, 'p'));
      writeFileSync(join(dir, deep), 'pax');
    }),
    3,
  );
  const f = pax.find((m) => m.type === 'file');
  assert.equal(f?.name, deep);
  assert.equal(f?.uid, 1234567890);
  assert.equal(f?.pax?.['path'], deep);
});

/** The members as a seeking reader sees them: header blocks fed one at a time, every content passed over unread. */
function parseSkipping(bytes: Buffer): Omit<Member, 'sha'>[] {
  const out: Omit<Member, 'sha'>[] = [];
  let current: TarHeader | undefined;
  const parser = new TarParser('t.tar', {
    entry: (h) => (current = h),
    data: () => assert.fail('no content is read'),
    end: () => {
      const h = current!;
      out.push({ name: h.name, type: h.type, size: h.size, mode: h.mode, uid: h.uid, gid: h.gid, linkname: h.linkname, byteOffset: h.byteOffset, pax: h.pax });
    },
  });
  for (let at = 0; at < bytes.length; ) {
    const skip = parser.skippable();
    if (skip > 0) {
      parser.skipContent();
      at += skip;
    } else {
      parser.write(bytes.subarray(at, at + 512));
      at += 512;
    }
  }
  parser.finish();
  return out;
}

test('skipContent: a reader that seeks past every content sees the members and offsets of one that reads it all', () => {
  const bytes = gnuTar(['--format=gnu', '--sparse', '--mtime=@0', 'd'], (dir) => {
    mkdirSync(join(dir, 'd', 'n'.repeat(150)), { recursive: true });
    writeFileSync(join(dir, 'd', 'n'.repeat(150), 'x'.repeat(120)), 'long name content');
    writeFileSync(join(dir, 'd', 'big'), Buffer.alloc(100_000, 7));
    writeFileSync(join(dir, 'd', 'empty'), '');
    writeFileSync(join(dir, 'd', 'sparse'), '');
    execFileSync('truncate', ['-s', '1M', join(dir, 'd', 'sparse')]);
    for (const at of [0, 300_000, 600_000, 900_000, 1_000_000]) execFileSync('dd', [`of=${join(dir, 'd', 'sparse')}`, 'bs=1', `seek=${at}`, 'conv=notrunc', 'status=none'], { input: `data${at}` });
  });
  const pax = gnuTar(['--format=pax', '--mtime=@0', 'p'], (dir) => {
    mkdirSync(join(dir, 'p'));
    writeFileSync(join(dir, 'p', 'q'.repeat(240)), 'pax');
    writeFileSync(join(dir, 'p', 'r'), Buffer.alloc(5000, 1));
  });
  for (const tarBytes of [bytes, pax]) {
    const read = parse(tarBytes, 4096).map(({ sha: _, ...m }) => m);
    assert.ok(read.length >= 3);
    assert.deepEqual(parseSkipping(tarBytes), read);
  }
});

/** One header block in ustar layout with a correct checksum. */
function header(name: string, opts: { type?: string; size?: number; uid?: number; checksumDelta?: number } = {}): Buffer {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100, 'utf8');
  b.write('0000644\0', 100);
  b.write(((opts.uid ?? 0).toString(8).padStart(7, '0')) + '\0', 108);
  b.write('0000000\0', 116);
  b.write((opts.size ?? 0).toString(8).padStart(11, '0') + '\0', 124);
  b.write('00000000000\0', 136);
  b.write(opts.type ?? '0', 156);
  b.write('ustar\x0000', 257);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of b) sum += x;
  b.write((sum + (opts.checksumDelta ?? 0)).toString(8).padStart(6, '0') + '\0 ', 148);
  return b;
}

function body(content: Buffer): Buffer {
  return Buffer.concat([content, Buffer.alloc((512 - (content.length % 512)) % 512)]);
}

function paxRecords(records: Record<string, string>): Buffer {
  let out = '';
  for (const [k, v] of Object.entries(records)) {
    const rest = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(rest) + 1;
    while (String(len).length + Buffer.byteLength(rest) !== len) len++;
    out += len + rest;
  }
  return Buffer.from(out);
}

test('PAX: a global record applies to every later member, a local one overrides it for one member', () => {
  const g = paxRecords({ uid: '5000', comment: 'built by test', path: 'ignored-global-path' });
  const x = paxRecords({ uid: '7', path: 'overridden/by/pax', size: '4' });
  const bytes = Buffer.concat([
    header('pax_global_header', { type: 'g', size: g.length }),
    body(g),
    header('a', { size: 1 }),
    body(Buffer.from('A')),
    header('PaxHeaders/b', { type: 'x', size: x.length }),
    body(x),
    // the header says 0 bytes; the PAX size says 4, and the 4 bytes follow
    header('b', { size: 0 }),
    body(Buffer.from('BBBB')),
    header('c', { size: 0 }),
    Buffer.alloc(1024),
  ]);
  for (const step of [bytes.length, 1, 511]) {
    const m = parse(bytes, step);
    assert.deepEqual(m.map((e) => `${e.name}:${e.size}:${e.uid}`), ['a:1:5000', 'overridden/by/pax:4:7', 'c:0:5000'], `step ${step}`);
    assert.equal(m[0]!.pax?.['comment'], 'built by test');
    assert.equal(m[1]!.sha, createHash('sha256').update('BBBB').digest('hex'));
  }
});

test('a header with a wrong checksum is rejected with its offset; a truncated tar is rejected wherever it stops', () => {
  const good = Buffer.concat([header('a', { size: 600 }), body(Buffer.alloc(600, 1)), header('b'), Buffer.alloc(1024)]);
  const bad = Buffer.concat([header('a', { size: 600 }), body(Buffer.alloc(600, 1)), header('b', { checksumDelta: 1 })]);
  assert.throws(() => parse(bad, 100, 'img.tar: layer.tar'), /^InputError: img\.tar: layer\.tar: not a valid tar \(bad header checksum at byte 1536\)$/);
  assert.throws(() => parse(Buffer.from('{"not": "a tar"}'.padEnd(512, ' '))), /not a valid tar/);
  // every cut inside a member fails; a cut at a member boundary is a tar without its end marker, which tar accepts
  const boundaries = new Set([0, 1536, 2048, 2560, 3072]);
  for (let cut = 1; cut < good.length; cut += 37) {
    const slice = good.subarray(0, cut);
    if (boundaries.has(cut)) assert.doesNotThrow(() => parse(slice));
    else assert.throws(() => parse(slice, 64), /truncated tar \(unexpected end of data\)/, `cut at ${cut}`);
  }
  for (const cut of boundaries) assert.doesNotThrow(() => parse(good.subarray(0, cut)));
});

test('gzip-compressed shared layers parse the same as their uncompressed twins', async () => {
  const gz = sharedImages().find((p) => p.includes('/oci-archive/') && p.endsWith('busybox-base.tar'));
  const plain = sharedImages().find((p) => p.includes('/oci-archive-uncompressed/') && p.endsWith('busybox-base.tar'));
  assert.ok(gz && plain);
  const layersOf = async (path: string) => {
    const out: Member[][] = [];
    for await (const { body: b } of tarEntries(chunksOf(readFileSync(path), 1 << 20), path)) {
      const bytes = await collect(b);
      const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
      if (raw.length >= 512 && raw.subarray(257, 262).toString('latin1') === 'ustar') out.push(parse(raw, 4096));
    }
    return out;
  };
  const a = await layersOf(gz);
  assert.ok(a.length >= 1);
  assert.deepEqual(a, await layersOf(plain));
});

test('a read error of the source ends the entries with one InputError naming the archive', async () => {
  const bytes = Buffer.concat(await packAll([{ name: 'a.bin', content: Buffer.alloc(5000, 1) }]));
  async function* failing(): AsyncGenerator<Buffer> {
    yield bytes.subarray(0, 1024);
    throw new Error('connection reset');
  }
  await assert.rejects(
    (async () => {
      for await (const { body } of tarEntries(failing(), 'engine:alpine')) await collect(body);
    })(),
    (err: Error) => err.name === 'InputError' && err.message === 'engine:alpine: connection reset',
  );
});
