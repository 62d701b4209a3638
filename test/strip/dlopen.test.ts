// A program that dlopens a library by name: ldd (and DT_NEEDED) does not show it, so strip reports it as maybe
// needed, and keeps it with --keep-dlopen. Built for real: `cc` compiles a program calling dlopen("libm.so.6"), and
// `podman build --isolation chroot` puts it on the Debian fixture's base (test/helpers/debianImages.ts), whose libm
// it opens; the stripped archive is loaded by podman and the program run in a chroot of what podman unpacked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chrootRun } from '../helpers/chroot.js';
import { debianFixture } from '../helpers/debianFixture.js';
import { runCliAsync } from '../helpers/runCli.js';

const debian = debianFixture();
const work = mkdtempSync(join(tmpdir(), 'fathom-strip-dlopen-'));
let archive: string;

const PROGRAM = `#include <dlfcn.h>
#include <stdio.h>
int main(void) {
  void *m = dlopen("libm.so.6", RTLD_NOW);
  if (!m) { fprintf(stderr, "%s\\n", dlerror()); return 1; }
  double (*cosine)(double) = (double (*)(double))dlsym(m, "cos");
  printf("cos(0) = %g\\n", cosine(0.0));
  return 0;
}
`;

before(
  async () => {
    if (debian.unavailable) return;
    await debian.ready();
    const ctx = join(work, 'context');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'dl.c'), PROGRAM);
    execFileSync('cc', ['-O2', '-Wall', '-o', join(ctx, 'dl'), join(ctx, 'dl.c')]);
    writeFileSync(join(ctx, 'Containerfile'), 'FROM localhost/fathom-fixture/bash:5.2\nCOPY dl /app/dl\nCMD ["/app/dl"]\n');
    await debian.podman.run(['load', '-i', debian.images.bash]);
    await debian.podman.run(['build', '--isolation', 'chroot', '--pull=never', '-f', join(ctx, 'Containerfile'), '-t', 'localhost/fathom-test/dlopen:1', ctx]);
    archive = join(work, 'dlopen.tar');
    await debian.podman.run(['save', '--format', 'docker-archive', '-o', archive, 'localhost/fathom-test/dlopen:1']);
  },
  { timeout: 20 * 60 * 1000 },
);
after(() => rmSync(work, { recursive: true, force: true }));

test('dlopen("libm.so.6"): maybe needed in the plan and missing from the stripped image; --keep-dlopen keeps it and the program runs', async (t) => {
  if (!debian.needs(t)) return;
  const run = async (args: string[]) => {
    const out = join(work, `out-${args.length}.tar`);
    const r = await runCliAsync(['strip', archive, '-o', out, ...args]);
    assert.equal(r.status, 0, r.stderr);
    const { image, rootfs } = await debian.podman.loadAndUnpack(out);
    return { stderr: r.stderr, run: await chrootRun(rootfs, ['/app/dl'], { env: image.Config.Env ?? [] }) };
  };
  const plain = await run([]);
  assert.match(plain.stderr, /^maybe needed \(library names found as strings, what a dlopen opens; --keep-dlopen keeps them\):$/m);
  assert.match(plain.stderr, /^ {2}libm\.so\.6 → \/(usr\/)?lib\/x86_64-linux-gnu\/libm\.so\.6, named by \/app\/dl$/m);
  assert.equal(plain.run.status, 1);
  assert.match(plain.run.stderr, /^libm\.so\.6: cannot open shared object file: No such file or directory$/m);

  const kept = await run(['--keep-dlopen']);
  assert.match(kept.stderr, /^kept by --keep-dlopen .*\n(?: {2}.*\n)* {2}libm\.so\.6 → \S+, named by \/app\/dl$/m);
  assert.deepEqual([kept.run.status, kept.run.stdout, kept.run.stderr], [0, 'cos(0) = 1\n', '']);

  const why = await runCliAsync(['strip', archive, '--keep-dlopen', '--why', '/usr/lib/x86_64-linux-gnu/libm.so.6']);
  assert.equal(why.stdout, '/usr/lib/x86_64-linux-gnu/libm.so.6 ← library name (a dlopen) in /app/dl ← Cmd\n');
});
