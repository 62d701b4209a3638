// DT_VERNEED and DT_VERDEF as the layer reader captures them while a layer streams, against readelf -V (binutils) on
// the same bytes: real Debian binaries and libraries, libc.so.6 among them (its dynamic section lies beyond the window
// the reader keeps from the start of the file, so the captured-range path is exercised too).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FileEntry } from '../../src/model/entryTypes.js';
import { finalTree, imageOf } from '../helpers/layers.js';
import { fromDynamicOk } from '../helpers/realBinaries.js';

const FILES = ['usr/bin/ls', 'usr/lib/x86_64-linux-gnu/libc.so.6', 'usr/lib/x86_64-linux-gnu/libselinux.so.1', 'usr/lib/x86_64-linux-gnu/libpcre2-8.so.0.11.2', 'usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'];

/** readelf -V's account: needed versions per file (weak ones left out), and defined versions but the BASE one. */
function readelf(path: string) {
  const out = execFileSync('readelf', ['-VW', path]).toString();
  const defs = out.split(/\n(?=\S)/).find((s) => s.startsWith("Version definition section")) ?? '';
  const needs = out.split(/\n(?=\S)/).find((s) => s.startsWith('Version needs section')) ?? '';
  const defined = [...defs.matchAll(/Flags: (\S+)\s+Index: \d+\s+Cnt: \d+\s+Name: (\S+)/g)].filter((m) => m[1] !== 'BASE').map((m) => m[2]!);
  const needed: Array<{ file: string; versions: string[] }> = [];
  for (const line of needs.split('\n')) {
    const file = /File: (\S+)/.exec(line);
    if (file) needed.push({ file: file[1]!, versions: [] });
    const name = /^\s+0x[0-9a-f]+:\s+Name: (\S+)\s+Flags: (\S+)/.exec(line);
    if (name && !name[2]!.includes('WEAK')) needed.at(-1)!.versions.push(name[1]!);
  }
  return { needed: needed.filter((n) => n.versions.length > 0), defined: defs ? defined : undefined };
}

test('the version tables fathom reads while streaming are those readelf -V shows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-elfv-'));
  try {
    const items = [];
    for (const f of FILES) items.push({ name: f, content: await fromDynamicOk('/' + f), mode: 0o755 });
    const tree = finalTree(await imageOf([{ items }]));
    let defining = 0;
    for (const f of FILES) {
      const host = join(dir, f.replaceAll('/', '_'));
      writeFileSync(host, items.find((i) => i.name === f)!.content);
      const want = readelf(host);
      const elf = (tree.get('/' + f) as FileEntry).probe?.elf;
      assert.ok(elf, f);
      assert.deepEqual(elf.versionNeeds, want.needed, `${f}: needed versions`);
      assert.deepEqual(elf.versionDefines, want.defined, `${f}: defined versions`);
      if (want.defined) defining++;
    }
    assert.ok(defining >= 3, 'libc, libselinux and the loader define versions');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
