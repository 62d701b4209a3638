import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { unpinnedBase } from '../../rules/unpinnedBase.js';
import { BOTH_LAYOUTS, findings, RULE_IMAGES, runOnFile } from '../helpers/rules.js';
import { IMAGES } from '../helpers/shared.js';

test('base-labels-unpinned: the config label names busybox:latest with no digest (the worse case)', async () => {
  for (const layout of BOTH_LAYOUTS) {
    const f = findings(await runOnFile(unpinnedBase, RULE_IMAGES(layout, 'base-labels-unpinned')));
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /docker\.io\/library\/busybox:latest uses the moving tag latest and no digest/);
    assert.equal(f[0]!.configField, 'config.Labels["org.opencontainers.image.base.name"]');
  }
});

test('base-labels-pinned: name@sha256 and base.digest: no finding', async () => {
  for (const layout of BOTH_LAYOUTS) assert.deepEqual(findings(await runOnFile(unpinnedBase, RULE_IMAGES(layout, 'base-labels-pinned'))), []);
});

test('podman --format oci builds: manifest annotations carry base.digest, the config label of the unpinned one does not', async () => {
  const dir = join(IMAGES, 'corpus-rules', 'oci-format-build');
  assert.deepEqual(findings(await runOnFile(unpinnedBase, join(dir, 'base-labels-pinned.tar'))), []);
  const f = findings(await runOnFile(unpinnedBase, join(dir, 'base-labels-unpinned.tar')));
  assert.deepEqual(f.map((x) => x.configField), ['config.Labels["org.opencontainers.image.base.name"]']);
});

test('no evidence: SKIP with the reason, never a silent pass', async () => {
  const o = await runOnFile(unpinnedBase, RULE_IMAGES('docker-engine', 'waste-tiny'));
  assert.ok('skip' in o);
  assert.match((o as { skip: string }).skip, /no base-image evidence/);
});

test('--dockerfile: ARG defaults substituted, stages and scratch skipped; latest/no tag worse than a bare tag', async () => {
  const text = [
    '# syntax=docker/dockerfile:1',
    'ARG NODE_VERSION=20',
    'ARG BASE=alpine',
    'FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-alpine AS build',
    'RUN npm ci',
    'FROM build AS test',
    'FROM scratch AS empty',
    'FROM ${BASE}',
    'FROM \\',
    '  debian:latest',
    'FROM gcr.io/distroless/static@sha256:' + 'a'.repeat(64),
    'FROM registry.local:5000/team/img',
  ].join('\n');
  const f = findings(await runOnFile(unpinnedBase, RULE_IMAGES('docker-engine', 'waste-tiny'), { text, path: 'app/Dockerfile' }));
  assert.deepEqual(
    f.map((x) => x.message),
    [
      'app/Dockerfile:4: FROM node:20-alpine is a tag without @sha256: digest',
      'app/Dockerfile:8: FROM alpine has no tag (means :latest) and no digest (worst case: the tag moves with every release)',
      'app/Dockerfile:9: FROM debian:latest uses the moving tag latest and no digest (worst case: the tag moves with every release)',
      'app/Dockerfile:12: FROM registry.local:5000/team/img has no tag (means :latest) and no digest (worst case: the tag moves with every release)',
    ],
  );
  assert.equal(f[0]!.fix, 'FROM node:20-alpine@sha256:<digest>');
});

test('a Dockerfile whose bases are all pinned or scratch passes', async () => {
  const text = `FROM golang:1.22@sha256:${'b'.repeat(64)} AS b\nFROM scratch\nCOPY --from=b /app /app\n`;
  assert.deepEqual(findings(await runOnFile(unpinnedBase, RULE_IMAGES('docker-engine', 'waste-tiny'), { text })), []);
});
