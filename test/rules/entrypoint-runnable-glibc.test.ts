// The symbol-version check of entrypoint-runnable on the real mismatched binary of the Debian fixtures: a gcc-built
// program whose needed GLIBC_2.34 was renamed GLIBC_2.99, in a Debian 12 image (glibc 2.36). fathom's finding must be
// the line the image's own dynamic loader prints when the image is unpacked by podman and the program run in a chroot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entrypointRunnable } from '../../rules/entrypointRunnable.js';
import type { Finding } from '../../rules/support/types.js';
import { chrootRun } from '../helpers/chroot.js';
import { debianFixture } from '../helpers/debianFixture.js';
import { run } from '../helpers/ruleCases.js';
import { loadFile } from '../helpers/shared.js';

const debian = debianFixture();

const findings = async (archive: string) => {
  const outcome = run(entrypointRunnable, await loadFile(archive));
  assert.ok(!('skip' in outcome));
  return outcome as readonly Finding[];
};

test('needs-glibc-2.99: the finding is the loader\'s own error line, and the only finding', async (t) => {
  if (!debian.needs(t)) return;
  const fx = debian.images.newerGlibc;
  const found = await findings(fx.archive);
  const { image, rootfs } = await debian.podman.loadAndUnpack(fx.archive);
  const refused = await chrootRun(rootfs, [fx.binary], { env: image.Config.Env ?? [] });
  assert.notEqual(refused.status, 0);
  assert.deepEqual(found.map((f) => f.message), [refused.stderr.trim()]);
  assert.equal(found[0]!.path, fx.binary);
  assert.match(found[0]!.fix, /defines up to GLIBC_2\.36\b/);
});

test('the images whose programs run in a chroot (nginx, bash, tls-get) need no version their libraries lack', async (t) => {
  if (!debian.needs(t)) return;
  for (const archive of [debian.images.nginx, debian.images.bash, debian.images.tlsGet.archive]) assert.deepEqual(await findings(archive), [], archive);
});
