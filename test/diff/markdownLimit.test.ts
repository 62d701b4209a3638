// The pull-request comment stays under GitHub's 65,536-character limit however large the change, and says what it
// cut. The two images are real archives (tar-stream): 6,000 files of long names replaced by 6,000 others.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dockerArchive, type TarItem } from '../helpers/buildArchive.js';
import { runCli } from '../helpers/runCli.js';

const long = 'a-file-name-long-enough-to-fill-a-table-cell-'.repeat(2);

/** Files side by side in /srv: each one is its own listed change. */
function files(tag: string, n: number): TarItem[] {
  const out: TarItem[] = [];
  for (let i = 0; i < n; i++) out.push({ name: `srv/${long}${tag}-${i}.txt`, content: `${tag} ${i}\n` });
  return out;
}

test('a diff of 12,000 path changes renders as a comment under the limit, with a note of what was cut', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-md-limit-'));
  const base = join(dir, 'base.tar');
  const head = join(dir, 'head.tar');
  const common = { items: [{ name: 'etc/', type: 'directory' as const }, { name: 'etc/os-release', content: 'ID=test\n' }] };
  writeFileSync(base, await dockerArchive([{ tag: 'big/base:1', layers: [common, { items: [{ name: 'srv/', type: 'directory' }, ...files('old', 6000)] }] }]));
  writeFileSync(head, await dockerArchive([{ tag: 'big/head:1', layers: [common, { items: [{ name: 'srv/', type: 'directory' }, ...files('new', 6000)] }] }]));
  const md = join(dir, 'pr.md');
  const json = join(dir, 'd.json');
  const r = runCli(['diff', base, head, '--report', `markdown=${md}`, '--json', json]);
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(md, 'utf8');
  const listed = (JSON.parse(readFileSync(json, 'utf8')) as { files: unknown[] }).files.length;
  assert.ok(listed >= 12000, `${listed} paths in the JSON`);
  assert.ok(text.length < 65536, `${text.length} characters`);
  assert.ok(text.length > 30000, 'it uses the room it has');
  assert.match(text, /_Cut to stay under GitHub's 65,536-character comment limit: \d+ of \d+ paths not shown; `fathom diff --json` has everything\._/);
  assert.match(text.split('\n')[0]!, /^### ✅ fathom diff: `big\/base:1` → `big\/head:1`$/);
  // every <details> is closed, so nothing after a cut swallows the rest of the page
  assert.equal((text.match(/<details>/g) ?? []).length, (text.match(/<\/details>/g) ?? []).length);
});
