import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobDataPath, push, registryToolsMissing, startRegistry, writeHtpasswd, type Registry } from '../helpers/registry.js';
import { startBlobServer, startRegistryProxy, type Canned } from '../helpers/registryProxy.js';
import { runCliAsync } from '../helpers/runCli.js';
import { IMAGES } from '../helpers/shared.js';
import { hostPlatform } from '../../src/cli/hostPlatform.js';
import { parseRegistryReference } from '../../src/source/registry/reference.js';
import { registrySource } from '../../src/source/registry/registryImage.js';
import { makeSigningKey, makeTestCa, type TestCa } from '../helpers/testCa.js';
import { startTokenServer, type TokenServer } from '../helpers/tokenServer.js';

const corpus = (layout: string, image: string) => join(IMAGES, 'corpus', layout, image);
const DIVE_GZIP = join(IMAGES, 'dive-fixtures', 'test-oci-gzip-image.tar');
const DIVE_ESTARGZ = join(IMAGES, 'dive-fixtures', 'test-oci-estargz-image.tar');
const BUSYBOX_OCI = corpus('oci-archive', 'busybox-tiny.tar');

/** Each image pushed byte for byte (digests preserved), with the archive its analysis must reproduce. */
const PUSHED: ReadonlyArray<{ ref: string; archive: string; transport: string; format?: 'v2s2' }> = [
  { ref: 'corpus/busybox-tiny:oci', archive: BUSYBOX_OCI, transport: 'oci-archive' },
  { ref: 'corpus/busybox-tiny:zstd', archive: corpus('oci-archive-zstd', 'busybox-tiny.tar'), transport: 'oci-archive' },
  { ref: 'corpus/links-tiny:uncompressed', archive: corpus('oci-archive-uncompressed', 'links-tiny.tar'), transport: 'oci-archive' },
  { ref: 'corpus/opaque-tiny:docker', archive: corpus('docker-archive', 'opaque-tiny.tar'), transport: 'docker-archive' },
  { ref: 'dive/estargz:1', archive: DIVE_ESTARGZ, transport: 'oci-archive' },
  // skopeo rewrites the manifest with Docker's media types; the config and the gzip layers keep their bytes
  { ref: 'corpus/busybox-tiny:v2s2', archive: BUSYBOX_OCI, transport: 'oci-archive', format: 'v2s2' },
];

const missing = registryToolsMissing();
const work = mkdtempSync(join(tmpdir(), 'fathom-registry-'));
const storage = join(work, 'storage');
const USER = 'fathom';
const PASSWORD = 'pa:ss word';
let plain: Registry;
let ca: TestCa;
let secure: Registry;
let tokens: TokenServer;
let tokenAuth: Registry;
const stops: Array<() => Promise<void>> = [];

/** No credentials, CAs or engine from the machine running the tests: each test says what the CLI may see. */
function isolated(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const home = join(work, 'home');
  mkdirSync(home, { recursive: true });
  return {
    HOME: home,
    DOCKER_CONFIG: join(home, 'no-docker-config'),
    REGISTRY_AUTH_FILE: undefined,
    XDG_RUNTIME_DIR: join(home, 'run'),
    XDG_CONFIG_HOME: join(home, 'config'),
    SSL_CERT_FILE: undefined,
    DOCKER_HOST: `unix://${join(work, 'no-dockerd.sock')}`,
    ...extra,
  };
}

/** A docker config directory whose config.json is `content`. */
function dockerConfig(name: string, content: unknown): string {
  const dir = join(work, 'docker-config', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(content));
  return dir;
}

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

/** --json of one run, without the part that says how the image arrived. */
async function analysis(args: string[], env: Record<string, string | undefined>, input?: string): Promise<Record<string, unknown>> {
  const out = join(work, `a-${createHash('sha1').update(args.join(' ') + JSON.stringify(env)).digest('hex')}.json`);
  const r = await runCliAsync([...args, '--json', out], { env, ...(input !== undefined ? { input } : {}) });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
  delete j['source'];
  // dive's layer id is the layer's path in the archive: how the image arrived, like source
  for (const l of j['layer'] as Array<Record<string, unknown>>) delete l['id'];
  return j;
}

async function fails(args: string[], env: Record<string, string | undefined>, message: RegExp): Promise<string> {
  const r = await runCliAsync(args, { env });
  assert.equal(r.status, 2, `expected exit 2, got ${r.status}: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, message);
  return lines[0]!;
}

const fromArchive = new Map<string, Promise<Record<string, unknown>>>();
function archiveAnalysis(path: string, platform?: string): Promise<Record<string, unknown>> {
  const key = `${path} ${platform ?? ''}`;
  if (!fromArchive.has(key)) fromArchive.set(key, analysis([path, ...(platform ? ['--platform', platform] : [])], isolated()));
  return fromArchive.get(key)!;
}

/** The manifest as the registry serves it, read here with fetch: the oracle for what a layer's media type is. */
async function manifestLayerTypes(registry: Registry, ref: string): Promise<string[]> {
  const [repo, tag] = ref.split(':');
  const res = await fetch(`http://${registry.host}/v2/${repo}/manifests/${tag}`, {
    headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  const m = (await res.json()) as { layers: Array<{ mediaType: string }> };
  return m.layers.map((l) => l.mediaType);
}

/**
 * An OCI layout holding a multi-platform index (linux/amd64: the corpus' busybox-tiny, linux/arm64: dive's gzip
 * fixture), both archives' blobs side by side: pushed with skopeo --all.
 */
function multiPlatformLayout(): string {
  const dir = join(work, 'multi-layout');
  mkdirSync(dir, { recursive: true });
  const manifests: unknown[] = [];
  for (const [archive, platform] of [
    [BUSYBOX_OCI, { os: 'linux', architecture: 'amd64' }],
    [DIVE_GZIP, { os: 'linux', architecture: 'arm64' }],
  ] as const) {
    execFileSync('tar', ['-xf', archive, '-C', dir]);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ mediaType: string; digest: string; size: number }> };
    const { mediaType, digest, size } = index.manifests[0]!;
    manifests.push({ mediaType, digest, size, platform });
  }
  const nested = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
  const hex = createHash('sha256').update(nested).digest('hex');
  writeFileSync(join(dir, 'blobs', 'sha256', hex), nested);
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${hex}`, size: nested.length }] }),
  );
  return dir;
}

before(async () => {
  if (missing) {
    process.stderr.write(`\n!!! REGISTRY TESTS: ${missing} — they are SKIPPED !!!\n\n`);
    return;
  }
  plain = await startRegistry({ dir: join(work, 'plain'), storage });
  stops.push(() => plain.stop());
  // pushes to one repository go one after another: distribution 2.8 answers 500 to a blob HEAD while a concurrent
  // push of the same blob to the same repository is writing its link file (busybox-tiny :oci and :v2s2 share blobs)
  const byRepository = new Map<string, (typeof PUSHED)[number][]>();
  for (const p of PUSHED) byRepository.set(p.ref.split(':')[0]!, [...(byRepository.get(p.ref.split(':')[0]!) ?? []), p]);
  await Promise.all(
    [...byRepository.values()].map(async (pushes) => {
      for (const p of pushes) await push(`${p.transport}:${p.archive}`, plain, p.ref, p.format ? { format: p.format } : {});
    }),
  );
  await push(`oci:${multiPlatformLayout()}`, plain, 'corpus/multi:1', { all: true });

  mkdirSync(join(work, 'ca'));
  ca = makeTestCa(join(work, 'ca'));
  const htpasswd = join(work, 'htpasswd');
  writeHtpasswd(htpasswd, USER, PASSWORD);
  secure = await startRegistry({ dir: join(work, 'secure'), storage, tls: { cert: ca.serverCert, key: ca.serverKey }, auth: { htpasswd } });
  stops.push(() => secure.stop());

  const key = makeSigningKey(join(work, 'ca'));
  tokens = await startTokenServer(key, 'ci', 's3cret');
  stops.push(() => tokens.close());
  tokenAuth = await startRegistry({
    dir: join(work, 'token'),
    storage,
    auth: { token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCert: key.cert } },
  });
  stops.push(() => tokenAuth.stop());
});

after(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
});

const skip = () => missing ?? false;

test('over plain HTTP every pushed image gives the analysis of its archive (OCI gzip, zstd, uncompressed, eStargz, Docker v2s2)', async (t) => {
  if (skip()) return t.skip(missing);
  for (const p of PUSHED) {
    const fromRegistry = await analysis([`registry://${plain.host}/${p.ref}`], isolated());
    const expected = structuredClone(await archiveAnalysis(p.archive));
    // a layer's media type is what its manifest declares: skopeo labels docker-archive's plain tars as gzip, and the
    // v2s2 conversion names the same gzip blobs with Docker's type
    const declared = await manifestLayerTypes(plain, p.ref);
    const layers = (j: Record<string, unknown>) => j['layer'] as Array<{ mediaType: string }>;
    assert.deepEqual(layers(fromRegistry).map((l) => l.mediaType), declared, p.ref);
    if (p.format === 'v2s2') assert.ok(declared.every((m) => m === 'application/vnd.docker.image.rootfs.diff.tar.gzip'));
    layers(expected).forEach((l, i) => (l.mediaType = declared[i]!));
    assert.deepEqual(fromRegistry, expected, p.ref);
  }
});

test('the JSON says where the image came from; a bare HOST:PORT/REPO:TAG goes to the registry when no engine has it', async (t) => {
  if (skip()) return t.skip(missing);
  const out = join(work, 'bare.json');
  const r = await runCliAsync([`${plain.host}/corpus/busybox-tiny:oci`, '--json', out], { env: isolated() });
  assert.equal(r.status, 0, r.stderr);
  const source = (JSON.parse(readFileSync(out, 'utf8')) as { source: Record<string, unknown> }).source;
  assert.equal(source['ref'], `registry://${plain.host}/corpus/busybox-tiny:oci`);
  assert.equal(source['layout'], 'registry');
  assert.deepEqual(source['tags'], [`${plain.host}/corpus/busybox-tiny:oci`]);
  // the manifest skopeo pushed with --preserve-digests is the archive's own
  const index = JSON.parse(execFileSync('tar', ['-xOf', BUSYBOX_OCI, 'index.json']).toString()) as { manifests: Array<{ digest: string }> };
  assert.equal(source['manifestDigest'], index.manifests[0]!.digest);
  assert.deepEqual(await analysis([`registry://${plain.host}/corpus/busybox-tiny@${index.manifests[0]!.digest}`], isolated()), await archiveAnalysis(BUSYBOX_OCI));
});

test('as a source of the library: progress counts the bytes of the manifest\'s layer sizes, per layer', async (t) => {
  if (skip()) return t.skip(missing);
  const env = isolated() as NodeJS.ProcessEnv;
  const source = registrySource(parseRegistryReference(`${plain.host}/corpus/busybox-tiny:oci`), { credentials: { env, home: env['HOME']! }, insecure: false });
  assert.equal(source.name, `registry://${plain.host}/corpus/busybox-tiny:oci`);
  const events: Array<{ bytes: number; entry: string; total?: number }> = [];
  const image = await source.load({ defaultPlatform: 'linux/amd64', onProgress: (e) => events.push(e) });
  // the layer sizes of the archive's manifest (skopeo pushed it unchanged): 1088225 + 299 + 314
  const total = 1088225 + 299 + 314;
  assert.ok(events.every((e) => e.total === total));
  assert.equal(events.at(-1)!.bytes, total);
  assert.deepEqual([...new Set(events.map((e) => e.entry))], ['layer 1/3 sha256:6dcf1f509167', 'layer 2/3 sha256:6616297b7b2b', 'layer 3/3 sha256:28b9a067cce2']);
  assert.deepEqual(image.layers.map((l) => l.compressedSize), [1088225, 299, 314]);
});

test('a multi-platform index: the host platform by default, --platform picks another, an unknown one lists what is there', async (t) => {
  if (skip()) return t.skip(missing);
  const ref = `registry://${plain.host}/corpus/multi:1`;
  const amd64 = await analysis([ref, '--platform', 'linux/amd64'], isolated());
  assert.deepEqual(amd64, await archiveAnalysis(BUSYBOX_OCI));
  const byDefault = await analysis([ref], isolated());
  assert.equal((byDefault['image'] as { platform: string }).platform, hostPlatform() === 'linux/arm64' ? 'linux/arm64' : 'linux/amd64');
  assert.deepEqual(await analysis([ref, '--platform', 'linux/arm64'], isolated()), await archiveAnalysis(DIVE_GZIP));
  await fails([ref, '--platform', 'linux/s390x'], isolated(), /corpus\/multi:1: no image for platform linux\/s390x; available: linux\/amd64, linux\/arm64 \(choose with --platform\)$/);
});

test('a missing tag and a missing repository are told apart, with the tags there are', async (t) => {
  if (skip()) return t.skip(missing);
  await fails([`registry://${plain.host}/corpus/busybox-tiny:nope`], isolated(), /tag nope not found in repository corpus\/busybox-tiny on 127\.0\.0\.1:\d+; its tags: (oci|zstd|v2s2)(, (oci|zstd|v2s2)){2}$/);
  await fails([`registry://${plain.host}/corpus/nothing:1`], isolated(), /repository corpus\/nothing not found on 127\.0\.0\.1:\d+$/);
  await fails([`registry://${plain.host}/Corpus/X:1`], isolated(), /repository Corpus\/X must be lower-case$/);
});

test('Basic auth over TLS with a test CA: --ca-file or SSL_CERT_FILE; credentials from config.json, auth.json or --password-stdin', async (t) => {
  if (skip()) return t.skip(missing);
  const ref = `registry://${secure.host}/corpus/busybox-tiny:oci`;
  const expected = await archiveAnalysis(BUSYBOX_OCI);
  const good = dockerConfig('good', { auths: { [secure.host]: { auth: basic(USER, PASSWORD) } } });
  assert.deepEqual(await analysis([ref, '--ca-file', ca.caCert], isolated({ DOCKER_CONFIG: good })), expected);

  // podman's auth.json, through REGISTRY_AUTH_FILE, with an https:// key as podman login may write it
  const authJson = join(work, 'auth.json');
  writeFileSync(authJson, JSON.stringify({ auths: { [`https://${secure.host}`]: { auth: basic(USER, PASSWORD) } } }));
  assert.deepEqual(await analysis([ref], isolated({ SSL_CERT_FILE: ca.caCert, REGISTRY_AUTH_FILE: authJson })), expected);
  assert.deepEqual(await analysis([ref, '--ca-file', ca.caCert, '--username', USER, '--password-stdin'], isolated(), `${PASSWORD}\n`), expected);

  await fails([ref], isolated({ DOCKER_CONFIG: good }), /the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(.*\); pass its CA with --ca-file or SSL_CERT_FILE/);
  const wrong = dockerConfig('wrong', { auths: { [secure.host]: { auth: basic(USER, 'not the password') } } });
  await fails([ref, '--ca-file', ca.caCert], isolated({ DOCKER_CONFIG: wrong }), new RegExp(`unauthorized: 127\\.0\\.0\\.1:\\d+ rejected the credentials from ${wrong}/config\\.json`));
  await fails([ref, '--ca-file', ca.caCert], isolated(), /unauthorized: 127\.0\.0\.1:\d+ wants credentials for corpus\/busybox-tiny .*and none were found \(looked in --username, .*config\.json\)/);
});

test('token auth: the registry points at a token endpoint; the credentials come from a credential helper on PATH', async (t) => {
  if (skip()) return t.skip(missing);
  const bin = join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  const asked = join(work, 'helper-asked');
  const helper = join(bin, 'docker-credential-fathomtest');
  writeFileSync(
    helper,
    [
      '#!/bin/sh',
      `read -r server; printf '%s' "$server" > '${asked}'`,
      `if [ "$server" = '${tokenAuth.host}' ]; then printf '{"ServerURL":"%s","Username":"ci","Secret":"s3cret"}\\n' "$server"; exit 0; fi`,
      'echo "credentials not found in native keychain"; exit 1',
      '',
    ].join('\n'),
  );
  chmodSync(helper, 0o755);
  const config = dockerConfig('helper', { credHelpers: { [tokenAuth.host]: 'fathomtest' } });
  const env = isolated({ DOCKER_CONFIG: config, PATH: `${bin}:${process.env['PATH']}` });
  tokens.requests.length = 0;
  assert.deepEqual(await analysis([`registry://${tokenAuth.host}/corpus/busybox-tiny:zstd`], env), await archiveAnalysis(corpus('oci-archive-zstd', 'busybox-tiny.tar')));
  assert.equal(readFileSync(asked, 'utf8'), tokenAuth.host);
  assert.ok(tokens.requests.length > 0);
  for (const r of tokens.requests) {
    assert.equal(r.user, 'ci');
    assert.equal(r.service, tokens.service);
    assert.deepEqual(r.scopes, ['repository:corpus/busybox-tiny:pull']);
  }
  // docker's credsStore: the same helper for every registry
  const store = dockerConfig('helper-store', { credsStore: 'fathomtest' });
  assert.equal((await runCliAsync([`registry://${tokenAuth.host}/corpus/busybox-tiny:zstd`], { env: isolated({ DOCKER_CONFIG: store, PATH: `${bin}:${process.env['PATH']}` }) })).status, 0);
  // a helper with nothing for this host: anonymous, which the token endpoint refuses
  const empty = join(bin, 'docker-credential-empty');
  writeFileSync(empty, '#!/bin/sh\necho "credentials not found in native keychain"; exit 1\n');
  chmodSync(empty, 0o755);
  const none = dockerConfig('helper-empty', { credHelpers: { [tokenAuth.host]: 'empty' } });
  await fails(
    [`registry://${tokenAuth.host}/corpus/busybox-tiny:zstd`],
    isolated({ DOCKER_CONFIG: none, PATH: `${bin}:${process.env['PATH']}` }),
    /unauthorized: 127\.0\.0\.1:\d+ wants credentials for corpus\/busybox-tiny \(token endpoint 127\.0\.0\.1:\d+: incorrect username or password\) and none were found/,
  );
  const gone = dockerConfig('helper-missing', { credHelpers: { [tokenAuth.host]: 'nosuchhelper' } });
  await fails([`registry://${tokenAuth.host}/corpus/busybox-tiny:zstd`], isolated({ DOCKER_CONFIG: gone }), /config\.json: credential helper docker-credential-nosuchhelper is not on PATH$/);
});

test('blobs redirected to another server: followed, and the Authorization header stays with the registry', async (t) => {
  if (skip()) return t.skip(missing);
  const blobs = await startBlobServer(storage);
  const proxy = await startRegistryProxy({ upstream: () => plain.host, basicAuth: { user: USER, password: PASSWORD }, redirectBlobsTo: blobs.url });
  try {
    const config = dockerConfig('proxy', { auths: { [proxy.host]: { username: USER, password: PASSWORD } } });
    assert.deepEqual(await analysis([`registry://${proxy.host}/corpus/busybox-tiny:oci`], isolated({ DOCKER_CONFIG: config })), await archiveAnalysis(BUSYBOX_OCI));
    // the config and three layers, all from the blob server, none of them with credentials
    assert.equal(blobs.seen.length, 4);
    assert.deepEqual(blobs.seen.map((s) => s.authorization), [undefined, undefined, undefined, undefined]);
    const redirected = proxy.seen.filter((s) => s.path.includes('/blobs/'));
    assert.equal(redirected.length, 4);
    assert.ok(redirected.every((s) => s.authorization === `Basic ${basic(USER, PASSWORD)}`));
  } finally {
    await proxy.close();
    await blobs.close();
  }
});

test('a registry stopped mid-blob: the download resumes by Range once it is back, or fails naming the layer', async (t) => {
  if (skip()) return t.skip(missing);
  let flaky = await startRegistry({ dir: join(work, 'flaky'), storage });
  stops.push(() => flaky.stop());
  const big = 'sha256:6dcf1f5091670235ea5df7b1e05046f4e12e6cf1dfe326ec5799d6e3ec7339ee'; // busybox-tiny's 1 MB base layer
  let restart = true;
  let cuts = 0;
  let ranges = true;
  const proxy = await startRegistryProxy({
    upstream: () => flaky.host,
    ignoreRange: () => !ranges,
    onBlobBytes: (digest, bytes, cut) => {
      if (digest !== big || bytes < 300_000 || cuts > 0) return;
      cuts++;
      cut();
      const port = flaky.port;
      void flaky.kill().then(async () => {
        if (!restart) return;
        await new Promise((r) => setTimeout(r, 500));
        flaky = await startRegistry({ ...flaky.options, port });
      });
    },
  });
  try {
    assert.deepEqual(await analysis([`registry://${proxy.host}/corpus/busybox-tiny:oci`], isolated()), await archiveAnalysis(BUSYBOX_OCI));
    assert.equal(cuts, 1);
    const resumed = proxy.seen.filter((s) => s.path.endsWith(big) && s.range !== undefined);
    assert.ok(resumed.length >= 1, JSON.stringify(proxy.seen));
    const from = Number(/^bytes=(\d+)-$/.exec(resumed.at(-1)!.range!)?.[1]);
    assert.ok(from >= 300_000 - 65536 && from < 1088225, `resumed from byte ${from}`);

    // a server that ignores Range sends the blob again from its start: the bytes already read are skipped
    cuts = 0;
    ranges = false;
    proxy.seen.length = 0;
    assert.deepEqual(await analysis([`registry://${proxy.host}/corpus/busybox-tiny:oci`], isolated()), await archiveAnalysis(BUSYBOX_OCI));
    assert.equal(cuts, 1);
    const again = proxy.seen.filter((s) => s.path.endsWith(big));
    assert.ok(again.length >= 2 && again.slice(1).every((s) => s.range !== undefined), JSON.stringify(again));

    cuts = 0;
    ranges = true;
    restart = false;
    await fails([`registry://${proxy.host}/corpus/busybox-tiny:oci`], isolated(), new RegExp(`: layer 0 \\(${big}\\): resuming at byte \\d+ of 1088225: .*\\(tried 6 times\\)$`));
  } finally {
    await proxy.close();
  }
});

test('429 with a long Retry-After is reported, a short one waited out; a schema 1 manifest is a clear error', async (t) => {
  if (skip()) return t.skip(missing);
  let limited = 0;
  let wait = '120';
  const proxy = await startRegistryProxy({
    upstream: () => plain.host,
    answer: (req): Canned | undefined => {
      if (req.url?.endsWith('/manifests/oci') && limited++ === 0) return { status: 429, headers: { 'Retry-After': wait }, body: '{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}' };
      if (req.url?.endsWith('/manifests/old')) {
        return { status: 200, headers: { 'Content-Type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' }, body: '{"schemaVersion":1,"name":"corpus/busybox-tiny","tag":"old","fsLayers":[]}' };
      }
      return undefined;
    },
  });
  try {
    await fails([`registry://${proxy.host}/corpus/busybox-tiny:oci`], isolated(), /rate-limited by 127\.0\.0\.1:\d+ \(429 Too Many Requests: TOOMANYREQUESTS: slow down\); it says to retry after 120 s/);
    limited = 0;
    wait = '1';
    assert.deepEqual(await analysis([`registry://${proxy.host}/corpus/busybox-tiny:oci`], isolated()), await archiveAnalysis(BUSYBOX_OCI));
    assert.equal(limited, 2);
    await fails([`registry://${proxy.host}/corpus/busybox-tiny:old`], isolated(), /a Docker schema 1 manifest, deprecated since 2017 and not supported/);
  } finally {
    await proxy.close();
  }
});

test('a blob corrupted in the registry storage: the digest error names the layer', async (t) => {
  if (skip()) return t.skip(missing);
  const damaged = join(work, 'damaged-storage');
  cpSync(storage, damaged, { recursive: true });
  const archive = corpus('oci-archive-uncompressed', 'links-tiny.tar');
  const index = JSON.parse(execFileSync('tar', ['-xOf', archive, 'index.json']).toString()) as { manifests: Array<{ digest: string }> };
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', archive, `blobs/sha256/${index.manifests[0]!.digest.slice(7)}`]).toString()) as { layers: Array<{ digest: string; size: number }> };
  const layer = manifest.layers[0]!;
  assert.ok(layer.size > 1_500_000);
  // one byte in the middle of busybox's binary, inside the plain tar: the tar still parses, only the digest tells
  const fd = openSync(blobDataPath(damaged, layer.digest), 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, 1_000_000);
  writeSync(fd, Buffer.from([b[0]! ^ 0xff]), 0, 1, 1_000_000);
  closeSync(fd);
  const broken = await startRegistry({ dir: join(work, 'damaged'), storage: damaged });
  stops.push(() => broken.stop());
  await fails(
    [`registry://${broken.host}/corpus/links-tiny:uncompressed`],
    isolated(),
    new RegExp(`: layer 0 \\(${layer.digest}\\) is corrupt: its bytes hash to sha256:[0-9a-f]{64}; the registry's copy is damaged or it was altered in transit$`),
  );
});
