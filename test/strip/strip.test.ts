// fathom strip on the articles' cases, built for real (test/helpers/debianImages.ts): the stripped archive is read
// back by fathom (every digest and diff_id checked), loaded by podman, unpacked, and its program run in a chroot —
// nginx serves / with its workers as www-data, bash runs `echo ok`, tls-get reaches a TLS server by name. Each
// profile turned off reproduces the failure the articles describe; the image needing GLIBC_2.99 is refused.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { entrypointRunnable } from '../../rules/entrypointRunnable.js';
import { shellFormOnScratch } from '../../rules/shellFormOnScratch.js';
import { userNotFound } from '../../rules/userNotFound.js';
import { chrootRun, freePort } from '../helpers/chroot.js';
import { debianFixture } from '../helpers/debianFixture.js';
import { NGINX_DATA } from '../helpers/debianImages.js';
import { httpGet, startNginx } from '../helpers/nginxChroot.js';
import { run } from '../helpers/ruleCases.js';
import { runCliAsync, type CliResult } from '../helpers/runCli.js';
import { loadFile } from '../helpers/shared.js';

const debian = debianFixture();
const work = mkdtempSync(join(tmpdir(), 'fathom-strip-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
/** `fathom strip ARCHIVE -o OUT ARGS…`: the CLI's result and the output path. */
async function strip(archive: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ r: CliResult; out: string }> {
  const out = join(work, `stripped-${++n}.tar`);
  const r = await runCliAsync(['strip', archive, '-o', out, ...args], { env });
  return { r, out };
}

/** The stripped archive as fathom reads it (digests checked), the rules that say it starts, and a chroot of it. */
async function loadStripped(out: string) {
  const image = await loadFile(out);
  for (const rule of [entrypointRunnable, shellFormOnScratch, userNotFound]) assert.deepEqual(run(rule, image), [], `${rule.meta.id} on ${out}`);
  const loaded = await debian.podman.loadAndUnpack(out);
  assert.equal(image.id.replace(/^sha256:/, ''), loaded.image.Id);
  assert.deepEqual(image.layers.map((l) => l.diffId), loaded.image.RootFS.Layers);
  return { image, podmanImage: loaded.image, rootfs: loaded.rootfs };
}

test('bash: stripped to bash, its loader and libraries; bash -c "echo ok" prints ok in a chroot of what podman loaded', async (t) => {
  if (!debian.needs(t)) return;
  const { r, out } = await strip(debian.images.bash, ['--exec', '/bin/bash']);
  assert.equal(r.status, 0, r.stderr);
  const { image, rootfs } = await loadStripped(out);
  assert.equal(image.layers.length, 1);
  assert.deepEqual(image.config.cmd, ['/bin/bash']);
  const ok = await chrootRun(rootfs, ['/bin/bash', '-c', 'echo ok'], { env: image.config.env });
  assert.deepEqual([ok.status, ok.stdout, ok.stderr], [0, 'ok\n', '']);
  // what the loader needs and nothing of what it does not: the closure is the one ldd shows (hand-checked)
  const files = [...image.files.visiblePathIds()].map((p) => image.files.visible(p)!).filter((e) => e.kind === 'file').map((e) => e.path).sort();
  for (const lib of ['/usr/bin/bash', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libtinfo.so.6.4', '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2']) assert.ok(files.includes(lib), lib);
  assert.ok(!files.includes('/usr/bin/perl'));
});

test('nginx: stripped, loaded by podman, serves / with HTTP 200 from a chroot, workers as www-data', async (t) => {
  if (!debian.needs(t)) return;
  const { r, out } = await strip(debian.images.nginx, NGINX_DATA);
  assert.equal(r.status, 0, r.stderr);
  const { image, podmanImage, rootfs } = await loadStripped(out);
  assert.deepEqual(podmanImage.Config.Cmd, ['nginx', '-g', 'daemon off;']);
  assert.equal(podmanImage.Config.StopSignal, 'SIGQUIT');
  assert.deepEqual(Object.keys(podmanImage.Config.ExposedPorts ?? {}), ['80/tcp']);
  const wwwData = Number(/^www-data:x:(\d+):/m.exec(readFileSync(join(rootfs, 'etc/passwd'), 'utf8'))?.[1]);
  const nginx = await startNginx(rootfs, podmanImage.Config.Cmd, podmanImage.Config.Env);
  try {
    const res = await httpGet(nginx.port, '/');
    assert.equal(res.status, 200);
    assert.match(res.body, /Welcome to nginx!/);
    assert.deepEqual([...new Set(nginx.workerUids())], [wwwData]);
  } finally {
    const end = await nginx.stop();
    assert.equal(end.status, 0, end.stderr);
  }
  t.diagnostic(`nginx: ${r.stderr.split('\n')[0]}; archive ${statSync(out).size} bytes, image ${image.id}`);

  // the article's failure: without the NSS profile the user lookup fails and nginx does not start
  const noNss = await strip(debian.images.nginx, [...NGINX_DATA, '--no-nss']);
  assert.equal(noNss.r.status, 0, noNss.r.stderr);
  assert.match(noNss.r.stderr, /profile nss: off \(--no-nss\)/);
  const broken = await loadStripped(noNss.out).catch((err: Error) => err);
  // user-not-found says so statically too: the stripped image has no /etc/passwd for www-data's lookup… but the
  // config's User is empty (root), so the rule passes and only nginx itself finds out
  assert.ok(!(broken instanceof Error), String(broken));
  await assert.rejects(startNginx(broken.rootfs, broken.podmanImage.Config.Cmd, broken.podmanImage.Config.Env), /getpwnam\("www-data"\) failed/);
});

test('tls-get: the CA store and NSS come with the TLS library and libc; each profile off reproduces its failure', async (t) => {
  if (!debian.needs(t)) return;
  const fx = debian.images.tlsGet;
  const port = await freePort();
  const server: Server = createServer({ key: readFileSync(fx.serverKey), cert: readFileSync(fx.serverCert) }, (req, res) => res.end(`hello ${req.headers.host}\n`));
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const get = async (args: string[], mountHosts = true) => {
    const { r, out } = await strip(fx.archive, args);
    assert.equal(r.status, 0, r.stderr);
    const { podmanImage, rootfs } = await loadStripped(out);
    const has = (p: string) => existsSync(join(rootfs, p));
    // a runtime mounts its own /etc/hosts over the image's: here it names the test server
    if (mountHosts) writeFileSync(join(rootfs, 'etc/hosts'), `127.0.0.1 localhost\n127.0.0.1 ${fx.hostname}\n`);
    return { stderr: r.stderr, has, run: await chrootRun(rootfs, [...podmanImage.Config.Entrypoint!, fx.hostname, String(port)], { env: podmanImage.Config.Env ?? [] }) };
  };
  try {
    const ok = await get([]);
    assert.match(ok.stderr, /profile ca-certs: on — \S*libssl\.so\.3 \(a TLS library\) is in the closure/);
    assert.equal(ok.run.status, 0, ok.run.stderr);
    assert.match(ok.run.stdout, /^HTTP\/1\.[01] 200 /);
    assert.match(ok.run.stdout, new RegExp(`hello ${fx.hostname}\\n$`));
    assert.ok(ok.has('etc/nsswitch.conf') && ok.has('etc/ssl/certs/ca-certificates.crt'));

    const noCa = await get(['--no-ca-certs']);
    assert.ok(!noCa.has('etc/ssl/certs/ca-certificates.crt'));
    assert.equal(noCa.run.status, 4, noCa.run.stderr);
    assert.match(noCa.run.stderr, /certificate verify failed: unable to get local issuer certificate/);

    // no /etc/hosts in the image and none mounted: the name does not resolve (the "works with docker run, not
    // without" case); with one, as every runtime mounts, it does
    const noHosts = await get(['--no-hosts'], false);
    assert.ok(!noHosts.has('etc/hosts'));
    assert.equal(noHosts.run.status, 3, noHosts.run.stderr);
    assert.match(noHosts.run.stderr, /cannot resolve fixture\.test/);

    // glibc 2.36 has the files and dns modules built in, and without /etc/nsswitch.conf its default order for hosts
    // still ends in files: the host lookup survives --no-nss (nginx's user lookup does not, above)
    const noNss = await get(['--no-nss']);
    assert.ok(!noNss.has('etc/nsswitch.conf') && !noNss.has('etc/passwd'));
    assert.equal(noNss.run.status, 0, noNss.run.stderr);
  } finally {
    server.close();
  }
});

test('needs-glibc-2.99: strip refuses, with the loader\'s message, and writes nothing', async (t) => {
  if (!debian.needs(t)) return;
  const { r, out } = await strip(debian.images.newerGlibc.archive);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /refused: the image cannot start as it is: \S+: \S+libc\.so\.6: version `GLIBC_2\.99' not found \(required by \/usr\/local\/bin\/needs-glibc-2\.99\)/);
  assert.throws(() => statSync(out), /ENOENT/);
});

test('deterministic: two runs give the same bytes; SOURCE_DATE_EPOCH sets every time; --format oci reads back alike', async (t) => {
  if (!debian.needs(t)) return;
  const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
  const a = await strip(debian.images.bash);
  const b = await strip(debian.images.bash);
  assert.equal(sha(a.out), sha(b.out));
  const epoch = await strip(debian.images.bash, [], { SOURCE_DATE_EPOCH: '1700000000' });
  assert.notEqual(sha(epoch.out), sha(a.out));
  const img = await loadFile(epoch.out);
  assert.equal(img.config.created, '2023-11-14T22:13:20.000Z');
  assert.deepEqual(img.history.map((h) => h.createdBy), ['fathom strip (Cmd /bin/bash)']);
  const oci = await strip(debian.images.bash, ['--format', 'oci']);
  assert.equal(oci.r.status, 0, oci.r.stderr);
  const fromOci = await loadFile(oci.out);
  assert.equal(fromOci.layout, 'oci');
  // the same layer and config whichever the wrapping
  assert.deepEqual([fromOci.id, fromOci.layers[0]!.diffId], [(await loadFile(a.out)).id, (await loadFile(a.out)).layers[0]!.diffId]);
});
