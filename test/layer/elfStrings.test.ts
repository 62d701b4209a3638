// The library names an ELF file holds as strings (src/layer/elfStrings.ts), read as the layer reader reads them —
// streamed in chunks through ContentProbeCollector — from real binaries on this machine, against binutils'
// `strings -a` as the independent oracle (each NUL-terminated run that is a whole `lib….so(.N)*` name).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { test } from 'node:test';
import { ContentProbeCollector } from '../../src/layer/contentProbe.js';
import type { ElfFacts } from '../../src/model/entryTypes.js';

/** The probe of `bytes` fed in chunks of `size` bytes, as a layer streams them. */
function probe(bytes: Buffer, size: number): ElfFacts {
  const c = new ContentProbeCollector();
  for (let at = 0; at < bytes.length; at += size) c.update(bytes.subarray(at, at + size));
  const facts = c.finish()?.elf;
  assert.ok(facts, 'an ELF probe');
  return facts;
}

/** What `strings -a` prints that is a bare library name, less the file's DT_NEEDED (readelf -d). */
function oracle(file: string): string[] {
  const strings = execFileSync('strings', ['-a', file], { maxBuffer: 64 << 20 }).toString().split('\n');
  const needed = [...execFileSync('readelf', ['-d', file]).toString().matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  return [...new Set(strings.filter((s) => /^lib[A-Za-z0-9._+-]*\.so(\.[0-9]+)*$/.test(s) && !needed.includes(s)))].sort();
}

const LIBC = realpathSync('/lib/x86_64-linux-gnu/libc.so.6');

test("libc.so.6's names (libgcc_s for pthread_cancel, libidn2, libnss_files) as strings finds them, in any chunking", () => {
  const bytes = readFileSync(LIBC);
  const want = oracle(LIBC);
  // hand-checked on Debian 12's glibc 2.36: the names glibc dlopens by name
  assert.deepEqual(want, ['libc.so.6', 'libgcc_s.so.1', 'libidn2.so.0', 'libnss_files.so.2']);
  for (const size of [1 << 16, 4093, 7]) assert.deepEqual([...(probe(bytes, size).libraryNames ?? [])].sort(), want, `chunks of ${size} bytes`);
  assert.equal(probe(bytes, 1 << 16).go, undefined);
});

test("a program's DT_NEEDED names are not repeated as maybe-dlopened ones: bash names only its needed", () => {
  const bash = realpathSync('/bin/bash');
  assert.deepEqual(oracle(bash), []);
  assert.equal(probe(readFileSync(bash), 1 << 16).libraryNames, undefined);
});
