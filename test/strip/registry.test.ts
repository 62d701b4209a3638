// fathom strip from a registry: the Debian fixtures pushed with skopeo into Debian's docker-registry on 127.0.0.1 (gzip
// layers as skopeo compresses them, and the archive's plain layers byte for byte), stripped by digest, give the same
// bytes as the strip of the archive they came from. The second read is its own session that fetches, by digest, only
// the layers holding a kept file, and checks each blob's digest as the first read does.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { debianFixture } from '../helpers/debianFixture.js';
import { NGINX_DATA } from '../helpers/debianImages.js';
import { blobDataPath, push, registryToolsMissing, startRegistry, type Registry } from '../helpers/registry.js';
import { startRegistryProxy, type RegistryProxy } from '../helpers/registryProxy.js';
import { runCliAsync, type CliResult } from '../helpers/runCli.js';
import { loadFile } from '../helpers/shared.js';

const run = promisify(execFile);
const debian = debianFixture({ podman: false });
const unavailable = debian.unavailable ?? registryToolsMissing();
const work = mkdtempSync(join(tmpdir(), 'fathom-strip-registry-'));
const storage = join(work, 'storage');
let registry: Registry;
/** In front of the registry for the tls-get image: records every request, and corrupts a blob on cue. */
let proxy: RegistryProxy;
let corrupt: { digest: string; body: Buffer; after: number } | undefined;
const blobGets = new Map<string, number>();

before(
  async () => {
    if (unavailable) return;
    await debian.ready();
    registry = await startRegistry({ dir: join(work, 'registry'), storage });
    // skopeo compresses the docker archive's plain layers (gzip); --preserve-digests keeps them plain
    await push(`docker-archive:${debian.images.nginx}`, registry, 'fixture/nginx:gzip', { format: 'v2s2' });
    await push(`docker-archive:${debian.images.tlsGet.archive}`, registry, 'fixture/tls-get:plain');
    proxy = await startRegistryProxy({
      upstream: () => registry.host,
      answer: (req) => {
        const digest = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? '')?.[1];
        if (!digest || req.method !== 'GET') return undefined;
        const n = (blobGets.get(digest) ?? 0) + 1;
        blobGets.set(digest, n);
        return corrupt?.digest === digest && n > corrupt.after ? { status: 200, headers: { 'Content-Length': String(corrupt.body.length) }, body: corrupt.body } : undefined;
      },
    });
  },
  { timeout: 5 * 60 * 1000 },
);
after(async () => {
  await proxy?.close();
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

const needs = (t: { skip(msg: string): void }) => {
  if (unavailable) t.skip(unavailable);
  return !unavailable;
};

/** No credentials or engine of the machine running the tests; fixed times and name, so the outputs can be compared. */
function env(): Record<string, string | undefined> {
  const home = join(work, 'home');
  mkdirSync(home, { recursive: true });
  return { HOME: home, DOCKER_CONFIG: join(home, 'no-docker'), REGISTRY_AUTH_FILE: undefined, XDG_RUNTIME_DIR: join(home, 'run'), XDG_CONFIG_HOME: join(home, 'config'), SOURCE_DATE_EPOCH: '1700000000' };
}

/** registry://HOST/REPO@DIGEST of what `tag` points at, the manifest's digest as skopeo computes it. */
async function byDigest(host: string, repoTag: string): Promise<string> {
  const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', '--no-creds', '--format', '{{.Digest}}', `docker://${host}/${repoTag}`]);
  return `registry://${host}/${repoTag.replace(/:[^:/]+$/, '')}@${stdout.trim()}`;
}

let n = 0;
async function strip(ref: string, args: string[]): Promise<{ r: CliResult; out: string }> {
  const out = join(work, `out-${++n}.tar`);
  const r = await runCliAsync(['strip', ref, '-o', out, '--tag', 'fixture/stripped:1', ...args], { env: env() });
  return { r, out };
}

const cmp = (a: string, b: string) => run('cmp', [a, b]).then(() => true, () => false);

test('nginx by digest from a registry (gzip layers): the same bytes as the strip of its archive', async (t) => {
  if (!needs(t)) return;
  const ref = await byDigest(registry.host, 'fixture/nginx:gzip');
  const fromRegistry = await strip(ref, NGINX_DATA);
  assert.equal(fromRegistry.r.status, 0, fromRegistry.r.stderr);
  const fromArchive = await strip(debian.images.nginx, NGINX_DATA);
  assert.equal(fromArchive.r.status, 0, fromArchive.r.stderr);
  assert.ok(await cmp(fromRegistry.out, fromArchive.out), `${fromRegistry.out} and ${fromArchive.out} differ`);
  // fathom's reader checks every digest and diff_id of what was written; the stripped image kept nginx
  const image = await loadFile(fromRegistry.out);
  assert.equal(image.layers.length, 1);
  assert.ok([...image.files.visiblePathIds()].some((p) => image.files.visible(p)?.path === '/usr/sbin/nginx'), 'nginx kept');
});

test('tls-get by digest (plain layers): only the layers holding kept files are fetched again; the same bytes as the archive\'s strip', async (t) => {
  if (!needs(t)) return;
  const ref = await byDigest(proxy.host, 'fixture/tls-get:plain');
  const manifest = JSON.parse((await run('skopeo', ['inspect', '--raw', '--tls-verify=false', '--no-creds', `docker://${registry.host}/fixture/tls-get:plain`])).stdout) as { config: { digest: string }; layers: Array<{ digest: string }> };
  blobGets.clear();
  // without the CA store (--no-ca-certs) layer 1, the Containerfile's `COPY test-ca.crt`, holds no kept file: the
  // second read fetches the other three again and not that one
  const fromRegistry = await strip(ref, ['--no-ca-certs', '--json', join(work, 'tls-get-plan.json')]);
  assert.equal(fromRegistry.r.status, 0, fromRegistry.r.stderr);
  const fromArchive = await strip(debian.images.tlsGet.archive, ['--no-ca-certs']);
  assert.equal(fromArchive.r.status, 0, fromArchive.r.stderr);
  assert.ok(await cmp(fromRegistry.out, fromArchive.out), `${fromRegistry.out} and ${fromArchive.out} differ`);
  const plan = JSON.parse(readFileSync(join(work, 'tls-get-plan.json'), 'utf8')) as { kept: Array<{ path: string }> };
  assert.ok(!plan.kept.some((k) => k.path.startsWith('/usr/local/share/ca-certificates')));
  assert.ok(plan.kept.some((k) => k.path === '/usr/local/bin/tls-get'));
  assert.equal(manifest.layers.length, 4);
  const gets = manifest.layers.map((l) => blobGets.get(l.digest) ?? 0);
  assert.deepEqual(gets, [2, 1, 2, 2]);
  assert.equal(blobGets.get(manifest.config.digest), 2);
});

test('a layer whose bytes differ on the second fetch: one line naming it, exit 2, no image written', async (t) => {
  if (!needs(t)) return;
  const ref = await byDigest(proxy.host, 'fixture/tls-get:plain');
  const manifest = JSON.parse((await run('skopeo', ['inspect', '--raw', '--tls-verify=false', '--no-creds', `docker://${registry.host}/fixture/tls-get:plain`])).stdout) as { layers: Array<{ digest: string }> };
  const base = manifest.layers[0]!.digest;
  // one byte of /etc/passwd's content changed (a kept file, so the tar still parses and only the digest tells)
  const body = Buffer.from(readFileSync(blobDataPath(storage, base)));
  const at = body.indexOf('root:x:0:0:');
  assert.ok(at > 0);
  body[at] = 'R'.charCodeAt(0);
  blobGets.clear();
  corrupt = { digest: base, body, after: 1 };
  try {
    const { r, out } = await strip(ref, []);
    assert.equal(r.status, 2, r.stderr);
    // the plan's summary, then the one error line
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('fathom: '));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, new RegExp(`^fathom: registry://${proxy.host}/fixture/tls-get@sha256:[0-9a-f]{64}: layer 0 \\(${base}\\) is corrupt: its bytes hash to sha256:[0-9a-f]{64}; `));
    assert.equal(r.stderr.trimEnd().split('\n').at(-1), errors[0]);
    assert.doesNotMatch(r.stderr, /^wrote /m);
    assert.equal(blobGets.get(base), 2, 'the second read fetched the layer again');
    assert.ok(!existsSync(out));
  } finally {
    corrupt = undefined;
  }
});
