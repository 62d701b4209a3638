import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDockerd, startPodmanService, loadIntoEngine, type Engine } from '../helpers/engines.js';
import { runCli } from '../helpers/runCli.js';
import { IMAGES } from '../helpers/shared.js';

const ARCHIVE = join(IMAGES, 'corpus', 'docker-archive', 'busybox-tiny.tar');
const NAME = 'localhost/corpus/busybox-tiny:latest';
const work = mkdtempSync(join(tmpdir(), 'fathom-engines-'));
let docker: Engine | string = 'not started';
let podman: Engine | string = 'not started';

before(async () => {
  [docker, podman] = await Promise.all([startDockerd(), startPodmanService()]);
  for (const [name, e] of [['dockerd', docker], ['podman service', podman]] as const) {
    if (typeof e === 'string') process.stderr.write(`\n!!! ENGINE TESTS: ${name} could not be started: ${e} — its tests are SKIPPED !!!\n\n`);
  }
  if (typeof docker !== 'string') await loadIntoEngine(docker.socket, ARCHIVE);
  if (typeof podman !== 'string') execFileSync('podman', ['load', '-q', '-i', ARCHIVE]);
});

after(async () => {
  if (typeof docker !== 'string') await docker.stop();
  if (typeof podman !== 'string') await podman.stop();
});

const skipDocker = () => (typeof docker === 'string' ? `dockerd: ${docker}` : false);
const skipPodman = () => (typeof podman === 'string' ? `podman: ${podman}` : false);

/** --json of one run, without the part that says how the image arrived. */
function analysis(args: string[], env: Record<string, string | undefined> = {}): Record<string, unknown> {
  const out = join(work, `a-${createHash('sha1').update(args.join(' ') + JSON.stringify(env)).digest('hex')}.json`);
  const r = runCli([...args, '--json', out], { env });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
  delete j['source'];
  // dive's layer id is the layer's path in the archive: how the image arrived, like source
  for (const l of j['layer'] as Array<Record<string, unknown>>) delete l['id'];
  return j;
}

test('the same image from a file, from dockerd, from the Podman service and from podman image save: identical analysis', async (t) => {
  const reason = skipDocker() || skipPodman();
  if (reason) return t.skip(reason);
  const fromFile = analysis([ARCHIVE]);
  const fromDocker = analysis([NAME], { DOCKER_HOST: (docker as Engine).host });
  const fromPodman = analysis([`podman://${NAME}`], { CONTAINER_HOST: (podman as Engine).host });
  // no service reachable: the CLI pipe
  const fromSave = analysis([`podman://${NAME}`], { CONTAINER_HOST: `unix://${join(work, 'no.sock')}` });
  assert.deepEqual(fromDocker, fromFile);
  assert.deepEqual(fromPodman, fromFile);
  assert.deepEqual(fromSave, fromFile);
  assert.equal((fromFile['image'] as { efficiencyScore: number }).efficiencyScore, 0.9999187946912912);
});

test('docker:// and --source docker name the engine explicitly; the current docker context is honoured', async (t) => {
  const reason = skipDocker();
  if (reason) return t.skip(reason);
  const host = (docker as Engine).host;
  assert.equal(runCli([`docker://${NAME}`], { env: { DOCKER_HOST: host } }).status, 0);
  assert.equal(runCli([NAME, '--source', 'docker'], { env: { DOCKER_HOST: host } }).status, 0);
  // a context named like a remote one, pointing at the private daemon
  const cfg = join(work, 'dockercfg');
  const meta = join(cfg, 'contexts', 'meta', createHash('sha256').update('fathom-ctx').digest('hex'));
  mkdirSync(meta, { recursive: true });
  writeFileSync(join(cfg, 'config.json'), JSON.stringify({ currentContext: 'fathom-ctx' }));
  writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: 'fathom-ctx', Endpoints: { docker: { Host: host } } }));
  const r = runCli([NAME], { env: { DOCKER_HOST: undefined, DOCKER_CONFIG: cfg } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /source: docker:\/\/localhost\/corpus\/busybox-tiny:latest/);
});

test('errors a person can act on: image not present (suggests --pull), no engine, bad --source', async (t) => {
  const reason = skipDocker();
  if (reason) return t.skip(reason);
  const missing = runCli(['nope/not-here:1'], { env: { DOCKER_HOST: (docker as Engine).host } });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^fathom: docker: image nope\/not-here:1 not found locally; pull it first or run again with --pull\n$/);
  const pull = runCli(['nope/not-here:1', '--pull'], { env: { DOCKER_HOST: (docker as Engine).host } });
  assert.equal(pull.status, 2);
  assert.match(pull.stderr, /^fathom: (docker: |engine )/);
  assert.equal(pull.stderr.trim().split('\n').length, 1);
  const none = runCli(['some/image:1'], { env: { DOCKER_HOST: `unix://${join(work, 'absent.sock')}` } });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no engine reachable at unix:\/\/.*absent\.sock \(DOCKER_HOST\): no such socket; start the engine or point DOCKER_HOST/);
  const bad = runCli(['x', '--source', 'ftp']);
  assert.match(bad.stderr, /--source ftp: use one of docker, podman, docker-archive, oci-archive, oci-dir/);
});

test('podman: an image the local storage does not have', async (t) => {
  const reason = skipPodman();
  if (reason) return t.skip(reason);
  const viaApi = runCli(['podman://nope/not-here:1'], { env: { CONTAINER_HOST: (podman as Engine).host } });
  assert.equal(viaApi.status, 2);
  assert.match(viaApi.stderr, /not found locally; pull it first or run again with --pull/);
  const viaCli = runCli(['podman://nope/not-here:1'], { env: { CONTAINER_HOST: `unix://${join(work, 'none.sock')}` } });
  assert.equal(viaCli.status, 2);
  assert.match(viaCli.stderr, /podman image save nope\/not-here:1 failed \(image not found locally; pull it first or use --pull\)/);
});

test('oci:DIR and a bare OCI layout directory are read as the archive of the same files', () => {
  const dir = join(work, 'layout');
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xf', join(IMAGES, 'corpus', 'oci-archive', 'busybox-tiny.tar'), '-C', dir]);
  const fromArchive = analysis([join(IMAGES, 'corpus', 'oci-archive', 'busybox-tiny.tar')]);
  assert.deepEqual(analysis([`oci:${dir}`]), fromArchive);
  assert.deepEqual(analysis([dir]), fromArchive);
  assert.deepEqual(analysis([`oci:${dir}:localhost/corpus/busybox-tiny:latest`]), fromArchive);
});

test('fathom build with podman: builds, finds the Containerfile, reviews the image by id with that file', async (t) => {
  const reason = skipPodman();
  if (reason) return t.skip(reason);
  const ctx = join(work, 'ctx');
  mkdirSync(ctx, { recursive: true });
  writeFileSync(join(ctx, 'Containerfile'), `FROM ${NAME}\nUSER root\nRUN echo hi > /hello.txt\nUSER web\n`);
  const r = runCli(['build', '--engine', 'podman', '--ci', '--', '--isolation', 'chroot', '-t', 'localhost/fathom/build-test:1', '.'], { cwd: ctx, env: { CONTAINER_HOST: (podman as Engine).host } });
  assert.match(r.stderr, /Successfully tagged localhost\/fathom\/build-test:1/, r.stderr);
  assert.match(r.stdout, /WARN: unpinned-base: .*Containerfile:1: FROM localhost\/corpus\/busybox-tiny:latest uses the moving tag latest/);
  assert.match(r.stdout, /^Result:FAIL/m);
  assert.equal(r.status, 1);
  spawnSync('podman', ['rmi', '-f', 'localhost/fathom/build-test:1']);
});

test('fathom build with docker on the private daemon', async (t) => {
  const reason = skipDocker();
  if (reason) return t.skip(reason);
  const ctx = join(work, 'dctx');
  mkdirSync(ctx, { recursive: true });
  writeFileSync(join(ctx, 'Dockerfile'), `FROM ${NAME}\nCOPY note.txt /note.txt\n`);
  writeFileSync(join(ctx, 'note.txt'), 'built by the test\n');
  const r = runCli(['build', '--', '-t', 'fathom/docker-build-test:1', '.'], { cwd: ctx, env: { DOCKER_HOST: (docker as Engine).host, DOCKER_BUILDKIT: '0' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /COPY file:\w+ in \/note\.txt/);
});
