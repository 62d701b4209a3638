// A file whose first bytes say ELF is still only data: malformed headers, tables that run past the bytes kept, and
// truncated or bit-flipped real binaries give an image (the file just has no ELF facts, or partial ones), never an
// exception out of the reader (issue 12, item 1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elfFacts, parseElfLayout } from '../../src/layer/elf.js';
import type { FileEntry } from '../../src/model/entryTypes.js';
import { dockerArchive } from '../helpers/buildArchive.js';
import { finalTree, imageOf } from '../helpers/layers.js';
import { fromDynamicOk } from '../helpers/realBinaries.js';
import { runCli } from '../helpers/runCli.js';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The reproducer of the issue: 100 bytes, 64-bit little-endian, phoff 90, phentsize 1, phnum 2. */
function shortTable(): Buffer {
  const b = Buffer.alloc(100);
  b.write('\x7fELF', 0, 'latin1');
  b[4] = 2; // ELFCLASS64
  b[5] = 1; // little-endian
  b.writeBigUInt64LE(90n, 32); // e_phoff
  b.writeUInt16LE(1, 54); // e_phentsize: 1 byte, while each entry reads 56
  b.writeUInt16LE(2, 56); // e_phnum
  return b;
}

/** The same with a 32-bit header: phoff 70, phentsize 1, phnum 3 (each entry reads 32). */
function shortTable32(): Buffer {
  const b = Buffer.alloc(100);
  b.write('\x7fELF', 0, 'latin1');
  b[4] = 1;
  b[5] = 1;
  b.writeUInt32LE(70, 28);
  b.writeUInt16LE(1, 42);
  b.writeUInt16LE(3, 44);
  return b;
}

test('a program-header table that runs past the bytes kept is no layout, not a RangeError', () => {
  assert.equal(parseElfLayout(shortTable()), undefined);
  assert.equal(parseElfLayout(shortTable32()), undefined);
});

test('the reproducer in a layer: the image loads, the file is a plain file without ELF facts', async () => {
  const img = await imageOf([{ items: [{ name: 'bin/' }, { name: 'bin/odd', content: shortTable(), mode: 0o755 }, { name: 'bin/odd32', content: shortTable32(), mode: 0o755 }] }]);
  const t = finalTree(img);
  for (const p of ['/bin/odd', '/bin/odd32']) {
    const e = t.get(p) as FileEntry;
    assert.equal(e.kind, 'file');
    assert.equal(e.size, 100);
    assert.equal(e.probe?.elf, undefined);
  }
});

test('the CLI reviews an image with it as its command: a finding, not an internal error', async () => {
  const archive = await dockerArchive([
    { layers: [{ items: [{ name: 'bin/' }, { name: 'bin/odd', content: shortTable(), mode: 0o755 }] }], tag: 'odd:1', config: { Entrypoint: ['/bin/odd'] } },
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'fathom-elf-'));
  try {
    const file = join(dir, 'odd.tar');
    writeFileSync(file, archive);
    const r = runCli([file, '--json', '-']);
    assert.doesNotMatch(r.stderr, /internal error|RangeError/);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /exec format error \(\/bin\/odd is neither an ELF binary nor a #! script\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A deterministic generator (xorshift32): every case is fixed by its number. */
function random(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Every read of the parsers stays inside what was kept: a sparse view of the bytes as the layer reader gives it. */
const viewOf = (bytes: Buffer) => (offset: number, size: number) => (offset >= 0 && offset + size <= bytes.length ? bytes.subarray(offset, offset + size) : undefined);

test('truncated and mutated real binaries (an executable, its loader, libc) never throw from the ELF parsers', async () => {
  const real = await Promise.all(['/usr/bin/ls', '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', '/usr/lib/x86_64-linux-gnu/libc.so.6'].map(fromDynamicOk));
  const head = (b: Buffer) => b.subarray(0, Math.min(b.length, 1 << 20));
  let parsed = 0;
  for (let n = 0; n < 3000; n++) {
    const rnd = random(n + 1);
    const src = real[n % real.length]!;
    const base = Buffer.from(head(src));
    const kind = n % 3;
    // truncated inside the headers or the tables (kind 0), or whole; then flips in the ELF header (kind 0, 1) or
    // anywhere in the first 64 KiB: the program headers, the dynamic section, the version tables (kind 2)
    let bytes = base;
    if (kind === 0) {
      // a table entry size smaller than the 56 bytes each entry reads, the file cut just after the table it claims
      const phentsize = 1 + Math.floor(rnd() * 55);
      bytes.writeUInt16LE(phentsize, 54);
      bytes = bytes.subarray(0, Number(bytes.readBigUInt64LE(32)) + phentsize * bytes.readUInt16LE(56) + Math.floor(rnd() * 64));
    }
    const flips = kind === 0 ? 0 : 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < flips; i++) {
      const at = kind === 1 ? 4 + Math.floor(rnd() * 60) : Math.floor(rnd() * Math.min(bytes.length, 1 << 16));
      bytes[at] = Math.floor(rnd() * 256);
    }
    const layout = parseElfLayout(bytes);
    if (!layout) continue;
    const facts = elfFacts(layout, viewOf(bytes));
    assert.ok(Array.isArray(facts.needed), `case ${n}`);
    parsed++;
  }
  // most mutations keep a readable header: the parsers were exercised, not skipped
  assert.ok(parsed > 1000, `${parsed} layouts parsed`);
});
