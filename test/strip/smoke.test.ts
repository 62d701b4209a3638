// fathom strip --smoke: both filesystems unpacked into a fresh directory under $TMPDIR, each command run in a chroot
// of each, compared; on a difference the first missing file is named and no image is written; the directory is gone
// afterwards. On the Debian fixtures (root, as the fixtures are).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { debianFixture } from '../helpers/debianFixture.js';
import { NGINX_DATA } from '../helpers/debianImages.js';
import { runCliAsync } from '../helpers/runCli.js';

const debian = debianFixture({ podman: false });
const work = mkdtempSync(join(tmpdir(), 'fathom-smoke-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
/** strip with a private TMPDIR and output directory, both of which must hold nothing but the image afterwards. */
async function smoke(archive: string, args: string[]) {
  const dir = join(work, String(++n));
  const tmp = join(dir, 'tmp');
  const outDir = join(dir, 'out');
  for (const d of [tmp, outDir]) rmSync(d, { recursive: true, force: true });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(tmp, { recursive: true });
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, 'slim.tar');
  const r = await runCliAsync(['strip', archive, '-o', out, ...args], { env: { TMPDIR: tmp } });
  assert.deepEqual(readdirSync(tmp), [], 'the smoke directory is removed');
  assert.deepEqual(readdirSync(outDir).filter((f) => f !== 'slim.tar'), [], 'no work file is left beside the output');
  return { r, written: existsSync(out) };
}

test('nginx without its configuration: nginx -t differs, the missing file is named, no image', async (t) => {
  if (!debian.needs(t)) return;
  const { r, written } = await smoke(debian.images.nginx, ['--smoke', 'nginx -t']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^smoke: nginx -t: differs — original exit 0, stripped exit 1; first missing file: \/etc\/nginx\/nginx\.conf$/m);
  assert.match(r.stderr, /^ {2}original: nginx: the configuration file \/etc\/nginx\/nginx\.conf syntax is ok$/m);
  assert.match(r.stderr, /^ {2}stripped: .*open\(\) "\/etc\/nginx\/nginx\.conf" failed \(2: No such file or directory\)$/m);
  assert.equal(written, false);
});

test('nginx with its data, bash: the same in both, and the image is written', async (t) => {
  if (!debian.needs(t)) return;
  const a = await smoke(debian.images.nginx, [...NGINX_DATA, '--smoke', 'nginx -t', '--smoke', 'nginx -T']);
  assert.equal(a.r.status, 0, a.r.stderr);
  assert.match(a.r.stderr, /^smoke: nginx -t: the same in both \(exit 0\)$/m);
  assert.match(a.r.stderr, /^smoke: nginx -T: the same in both \(exit 0\)$/m);
  assert.ok(a.written);
  const b = await smoke(debian.images.bash, ['--smoke', "bash -c 'echo ok; id -u'"]);
  // id is no part of bash's closure: the stripped run fails where the original prints the uid
  assert.equal(b.r.status, 1, b.r.stderr);
  assert.match(b.r.stderr, /^smoke: bash -c 'echo ok; id -u': differs — original exit 0, stripped exit 127; first missing file: \/usr\/bin\/id$/m);
  assert.equal(b.written, false);
  const c = await smoke(debian.images.bash, ['--smoke', "bash -c 'echo ok'"]);
  assert.equal(c.r.status, 0, c.r.stderr);
  assert.match(c.r.stderr, /^smoke: bash -c 'echo ok': the same in both \(exit 0\)$/m);
  assert.ok(c.written);
});
