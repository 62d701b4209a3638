import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTar, sha256, type TarItem } from '../helpers/buildArchive.js';
import { CLI } from '../helpers/runCli.js';

// Archives made to hurt: each is one clear line on stderr naming the archive and the member, exit 2, in bounded
// memory and time.

const dir = mkdtempSync(join(tmpdir(), 'fathom-hostile-'));
function file(name: string, content: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** The CLI in a child with a small heap: what used to run out of memory now dies at 256 MB instead of the machine's. */
function fathom(path: string) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, path], { timeout: 120_000 });
  return { status: r.status, signal: r.signal, stderr: r.stderr.toString() };
}

function assertBad(path: string, pattern: RegExp) {
  const r = fathom(path);
  assert.equal(r.signal, null, `finished: ${r.stderr.slice(0, 500)}`);
  assert.equal(r.status, 2, `exit 2: ${r.stderr.slice(0, 500)}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr.slice(0, 500));
  assert.match(lines[0]!, pattern);
}

test('an index 10 wide and 7 deep (10^7 manifests in a few KB) is refused by a cap on descriptors visited', async () => {
  const items: TarItem[] = [{ name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' }];
  const put = (json: unknown) => {
    const b = Buffer.from(JSON.stringify(json));
    items.push({ name: `blobs/sha256/${sha256(b).slice(7)}`, content: b });
    return { digest: sha256(b), size: b.length };
  };
  const config = put({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
  let child = { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...put({ schemaVersion: 2, config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: [] }) };
  for (let level = 0; level < 6; level++) {
    const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: Array(10).fill(child) };
    child = { mediaType: 'application/vnd.oci.image.index.v1+json', ...put(index) };
  }
  items.push({ name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: Array(10).fill(child) }) });
  const archive = await makeTar(items);
  assert.ok(archive.length < 64 * 1024, `${archive.length} bytes`);
  const p = file('wide-deep.tar', archive);
  // before: every one of the 10^7 was visited (4.3 GB, a V8 out-of-memory abort, exit 134)
  assertBad(p, new RegExp(`^fathom: ${p}: index\\.json and its nested indexes name more than 10000 manifests`));
});
