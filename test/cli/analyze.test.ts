import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/runCli.js';
import { DIVE_FIXTURE } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'fathom-cli-'));

test("text report: dive's analysis lines and inefficient files table", () => {
  const r = runCli([DIVE_FIXTURE]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Image: dive-test:latest$/m);
  assert.match(r.stdout, /^ {2}efficiency: 98\.4421 %$/m);
  assert.match(r.stdout, /^ {2}wastedBytes: 32025 bytes \(32 kB\)$/m);
  assert.match(r.stdout, /^ {2}userWastedPercent: 48\.3491 %$/m);
  assert.match(r.stdout, /^ {2}reclaimableBytes: 32025 bytes \(32 kB\)$/m);
  // dive's "%5s  %12s  %-s" rows, sizes as go-humanize prints them
  assert.match(r.stdout, /^Count  Wasted Space  File Path\n {4}2 {9}13 kB {2}\/root\/saved\.txt\n {4}2 {9}13 kB {2}\/root\/example\/somefile1\.txt\n {4}2 {8}6\.4 kB {2}\/root\/example\/somefile3\.txt$/m);
  assert.match(r.stdout, /^ {3}9 {8}0 B {2}RUN rm -rf \/root\/example\/$/m);
  assert.equal(r.stderr, '', 'no progress on a non-terminal stderr');
});

test("--json writes dive's export schema plus fathom's fields, and overwrites a longer old file", () => {
  const out = join(dir, 'report.json');
  writeFileSync(out, 'x'.repeat(1 << 20));
  const r = runCli([DIVE_FIXTURE, '--json', out]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(j.image.sizeBytes, 1220598);
  assert.equal(j.image.inefficientBytes, 32025);
  assert.equal(j.image.efficiencyScore, 0.9844212134184309);
  assert.equal(j.image.userSizeBytes, 66237);
  assert.equal(j.image.userWastedPercent, 0.4834911001404049);
  assert.equal(j.image.reclaimableBytes, 32025);
  assert.deepEqual(
    j.image.fileReference.map((f: { count: number; sizeBytes: number; file: string }) => [f.count, f.sizeBytes, f.file]),
    [[2, 12810, '/root/saved.txt'], [2, 12810, '/root/example/somefile1.txt'], [2, 6405, '/root/example/somefile3.txt']],
  );
  assert.equal(j.layer.length, 14);
  assert.equal(j.layer[0].digestId, j.layer[0].diffId);
  assert.match(j.layer[0].digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(j.layer[0].mediaType, 'application/vnd.docker.image.rootfs.diff.tar');
  assert.equal(j.layer[0].compression, 'none');
});

test('- reads the archive from stdin', () => {
  const r = runCli(['-'], { input: readFileSync(DIVE_FIXTURE) });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /efficiency: 98\.4421 %/);
  assert.match(r.stdout, /source: stdin/);
});

test('the bundled example runs (the README quick start)', () => {
  const r = runCli(['examples/hello-waste.tar']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\/app\/download\.tar/);
});
