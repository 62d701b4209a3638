import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authFiles, findCredentials, normalizeAuthKey, type CredentialOptions } from '../../src/source/registry/credentials.js';

const work = mkdtempSync(join(tmpdir(), 'fathom-creds-'));
after(() => rmSync(work, { recursive: true, force: true }));
const b64 = (s: string) => Buffer.from(s).toString('base64');

let n = 0;
function file(content: unknown): string {
  const p = join(work, `auth-${n++}.json`);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

/** Options that see only the files given (HOME is an empty directory). */
function only(env: Record<string, string>): CredentialOptions {
  const home = join(work, 'home');
  mkdirSync(home, { recursive: true });
  return { env: { DOCKER_CONFIG: join(home, 'none'), ...env }, home };
}

function dockerDir(content: unknown): string {
  const dir = join(work, `docker-${n++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(content));
  return dir;
}

test('auth file keys as docker and podman write them', () => {
  assert.equal(normalizeAuthKey('https://index.docker.io/v1/'), 'docker.io');
  assert.equal(normalizeAuthKey('registry-1.docker.io'), 'docker.io');
  assert.equal(normalizeAuthKey('https://ghcr.io'), 'ghcr.io');
  assert.equal(normalizeAuthKey('http://127.0.0.1:5000/v2/'), '127.0.0.1:5000');
  assert.equal(normalizeAuthKey('quay.io/org'), 'quay.io/org');
});

test('auths entries: base64 user:password (the password may hold colons), username/password fields, identity and registry tokens', async () => {
  const f = file({
    auths: {
      'https://index.docker.io/v1/': { auth: b64('hubuser:pa:ss') },
      'ghcr.io': { username: 'gh', password: 'ghp_x' },
      'quay.io': { identitytoken: 'refresh-me' },
      'reg.example': { registrytoken: 'bearer-me' },
      'empty.example': {},
    },
  });
  const o = only({ REGISTRY_AUTH_FILE: f });
  assert.deepEqual(await findCredentials('docker.io', 'library/nginx', o), { username: 'hubuser', password: 'pa:ss', from: f });
  assert.deepEqual(await findCredentials('ghcr.io', 'org/app', o), { username: 'gh', password: 'ghp_x', from: f });
  assert.deepEqual(await findCredentials('quay.io', 'org/app', o), { identityToken: 'refresh-me', from: f });
  assert.deepEqual(await findCredentials('reg.example', 'app', o), { registryToken: 'bearer-me', from: f });
  assert.equal(await findCredentials('empty.example', 'app', o), undefined);
  assert.equal(await findCredentials('other.example', 'app', o), undefined);
});

test("podman's namespace-scoped entries: the most specific key wins", async () => {
  const f = file({ auths: { 'quay.io/org/app': { auth: b64('app:1') }, 'quay.io/org': { auth: b64('org:2') }, 'quay.io': { auth: b64('all:3') } } });
  const o = only({ REGISTRY_AUTH_FILE: f });
  assert.equal((await findCredentials('quay.io', 'org/app', o))?.username, 'app');
  assert.equal((await findCredentials('quay.io', 'org/other', o))?.username, 'org');
  assert.equal((await findCredentials('quay.io', 'orgx/app', o))?.username, 'all');
});

test('the order of the files: REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR auth.json, then docker config; --username before all', async () => {
  const podman = file({ auths: { 'ghcr.io': { auth: b64('podman:p') } } });
  const run = join(work, 'run');
  mkdirSync(join(run, 'containers'), { recursive: true });
  writeFileSync(join(run, 'containers', 'auth.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: b64('runtime:r') }, 'quay.io': { auth: b64('runtime:q') } } }));
  const docker = dockerDir({ auths: { 'ghcr.io': { auth: b64('docker:d') }, 'docker.io': { auth: b64('docker:hub') } } });
  const o = only({ REGISTRY_AUTH_FILE: podman, XDG_RUNTIME_DIR: run, DOCKER_CONFIG: docker });
  assert.equal((await findCredentials('ghcr.io', 'a', o))?.username, 'podman');
  assert.equal((await findCredentials('quay.io', 'a', o))?.username, 'runtime');
  assert.deepEqual(await findCredentials('docker.io', 'library/a', o), { username: 'docker', password: 'hub', from: join(docker, 'config.json') });
  assert.deepEqual(await findCredentials('ghcr.io', 'a', { ...o, explicit: { username: 'cli', password: 'x' } }), { username: 'cli', password: 'x', from: '--username/--password-stdin' });
  assert.deepEqual(authFiles({ env: { DOCKER_CONFIG: '/d' }, home: '/h' }), ['/h/.config/containers/auth.json', '/d/config.json']);
});

test('credential helpers: credHelpers for the host, else credsStore; <token> is an identity token; "not found" falls through', async () => {
  const bin = join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  // a helper as the docker-credential-helpers protocol defines it: the server URL on stdin, JSON on stdout
  const helper = join(bin, 'docker-credential-testhelper');
  writeFileSync(
    helper,
    [
      '#!/bin/sh',
      '[ "$1" = get ] || exit 3',
      'read -r server',
      'case "$server" in',
      '  ghcr.io) echo \'{"ServerURL":"ghcr.io","Username":"helped","Secret":"s"}\' ;;',
      '  https://index.docker.io/v1/) echo \'{"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"refresh"}\' ;;',
      '  broken.example) echo "keychain locked" >&2; exit 2 ;;',
      '  *) echo "credentials not found in native keychain"; exit 1 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(helper, 0o755);
  const env = { PATH: `${bin}:/usr/bin:/bin` };
  const docker = dockerDir({ credHelpers: { 'ghcr.io': 'testhelper' }, credsStore: 'testhelper', auths: { 'quay.io': { auth: b64('file:f') } } });
  const config = join(docker, 'config.json');
  const o = only({ ...env, DOCKER_CONFIG: docker });
  assert.deepEqual(await findCredentials('ghcr.io', 'org/app', o), { username: 'helped', password: 's', from: `${config} (credential helper docker-credential-testhelper)` });
  assert.deepEqual(await findCredentials('docker.io', 'library/nginx', o), { identityToken: 'refresh', from: `${config} (credential helper docker-credential-testhelper)` });
  assert.deepEqual(await findCredentials('quay.io', 'a', o), { username: 'file', password: 'f', from: config });
  await assert.rejects(findCredentials('broken.example', 'a', o), /config\.json: credential helper docker-credential-testhelper failed for broken\.example \(exit 2\): keychain locked/);
});

test('an auth file that is not JSON is named in the error', async () => {
  const f = file('{ "auths": ');
  await assert.rejects(findCredentials('ghcr.io', 'a', only({ REGISTRY_AUTH_FILE: f })), new RegExp(`${f}: invalid JSON`));
});
