import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChallenges } from '../../src/source/registry/challenge.js';
import { isLoopback, looksRemote, parseRegistryReference } from '../../src/source/registry/reference.js';

const D = 'sha256:' + 'ab'.repeat(32);

// expected values follow docker's reference normalisation (distribution/reference ParseNormalizedNamed)
test('references normalise as docker does: Docker Hub short names, library/, hosts by dot, port or localhost', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['nginx', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'library/nginx', tag: 'latest' }],
    ['library/nginx:1.25', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'library/nginx', tag: '1.25' }],
    ['docker.io/nginx', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'library/nginx', tag: 'latest' }],
    ['index.docker.io/org/app', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'org/app', tag: 'latest' }],
    ['org/app', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'org/app', tag: 'latest' }],
    ['ghcr.io/org/app:1.4', { registry: 'ghcr.io', endpoint: 'ghcr.io', repository: 'org/app', tag: '1.4' }],
    ['localhost:5000/app', { registry: 'localhost:5000', endpoint: 'localhost:5000', repository: 'app', tag: 'latest' }],
    ['localhost/app', { registry: 'localhost', endpoint: 'localhost', repository: 'app', tag: 'latest' }],
    [`127.0.0.1:5000/a/b/c@${D}`, { registry: '127.0.0.1:5000', endpoint: '127.0.0.1:5000', repository: 'a/b/c', digest: D }],
    [`ghcr.io/org/app:1.4@${D}`, { registry: 'ghcr.io', endpoint: 'ghcr.io', repository: 'org/app', tag: '1.4', digest: D }],
    ['registry.example/team/app_x-y.z:pr-123', { registry: 'registry.example', endpoint: 'registry.example', repository: 'team/app_x-y.z', tag: 'pr-123' }],
  ];
  for (const [text, want] of cases) assert.deepEqual({ ...parseRegistryReference(text) }, want, text);
});

test('invalid references are one clear error each', () => {
  assert.throws(() => parseRegistryReference('Nginx'), /repository Nginx must be lower-case/);
  assert.throws(() => parseRegistryReference('app@sha256:abc'), /sha256:abc is not a sha256 digest/);
  assert.throws(() => parseRegistryReference('app:-bad'), /tag -bad is not valid/);
  assert.throws(() => parseRegistryReference('ghcr.io/'), /no repository name/);
  assert.throws(() => parseRegistryReference('ghcr.io/a//b'), /a\/\/b is not a valid repository name/);
});

test('bare names that clearly point at a registry, and loopback hosts', () => {
  for (const n of ['ghcr.io/org/app', 'localhost:5000/app', '127.0.0.1:5000/x:1', 'registry.example/app:main']) assert.equal(looksRemote(n), true, n);
  for (const n of ['nginx', 'nginx:1.25', 'org/app', 'localhost/app', 'sha256:abc']) assert.equal(looksRemote(n), false, n);
  for (const h of ['127.0.0.1:5000', '127.1.2.3', 'localhost:5000', 'localhost', '[::1]:5000']) assert.equal(isLoopback(h), true, h);
  for (const h of ['ghcr.io', '10.0.0.1:5000', 'localhost.example:5000', '[::2]:5000']) assert.equal(isLoopback(h), false, h);
});

test('WWW-Authenticate challenges (RFC 7235): Bearer with its parameters, Basic, several in one header, quoted escapes', () => {
  assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
  ]);
  assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
  assert.deepEqual(parseChallenges('Basic realm="a", Bearer realm="b", service=c'), [
    { scheme: 'basic', params: { realm: 'a' } },
    { scheme: 'bearer', params: { realm: 'b', service: 'c' } },
  ]);
  assert.deepEqual(parseChallenges(['Bearer realm="x\\"y",error="insufficient_scope"']), [{ scheme: 'bearer', params: { realm: 'x"y', error: 'insufficient_scope' } }]);
  assert.deepEqual(parseChallenges(undefined), []);
});
