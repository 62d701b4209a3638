// fathom as a drop-in for `CI=true dive`, checked against dive 0.12 itself side by side (skipped without it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { dockerArchive } from '../helpers/buildArchive.js';
import { DIVE, diveCi, diveMissing, diveRuleLines } from '../helpers/dive.js';
import { runCli } from '../helpers/runCli.js';
import { IMAGES, sharedAvailable } from '../helpers/shared.js';

const skip = diveMissing ?? (sharedAvailable() ? undefined : 'no ../shared/images');
const rules = (name: string) => join(IMAGES, 'corpus-rules', 'docker-engine', `${name}.tar`);
function project(diveCiText: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-divehabits-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
  if (diveCiText !== undefined) writeFileSync(join(dir, '.dive-ci'), diveCiText);
  return dir;
}
const fathomCi = (archive: string, cwd: string) => runCli([archive], { cwd, env: { CI: 'true' } });
const failLines = (out: string) => diveRuleLines(out).filter((l) => l.startsWith('FAIL: '));

test("FAIL lines print figures as Go's %v does, exactly as dive's (1.8160795684994945e-05, 1e-05)", (t) => {
  if (skip) return t.skip(skip);
  const dir = project('rules:\n  highestUserWastedPercent: 0.00001\n  lowestEfficiency: 0.99999999\n  highestWastedBytes: 1\n');
  const dive = diveCi(rules('setuid-tiny'), dir);
  const ours = fathomCi(rules('setuid-tiny'), dir);
  assert.equal(dive.status, 1, dive.stdout);
  assert.equal(ours.status, 1, ours.stderr);
  const want = failLines(dive.stdout);
  assert.equal(want.length, 3, dive.stdout);
  assert.ok(want.some((l) => l.includes('1.8160795684994945e-05 > threshold=1e-05')), want.join('\n'));
  assert.deepEqual(failLines(ours.stdout), want);
});

test('an image without user layers: dive\'s "userWastedPercent: NaN %" line, and a PASS as dive gives', (t) => {
  if (skip) return t.skip(skip);
  const dir = project(undefined);
  const dive = diveCi(rules('user-missing'), dir);
  const ours = fathomCi(rules('user-missing'), dir);
  const line = (out: string) => out.split('\n').find((l) => l.includes('userWastedPercent:'))!;
  assert.equal(line(dive.stdout), '  userWastedPercent: NaN %');
  assert.equal(line(ours.stdout), line(dive.stdout));
  assert.match(diveRuleLines(ours.stdout).find((l) => l.includes('highestUserWastedPercent'))!, /^PASS: highestUserWastedPercent: %-user-wasted-bytes=NaN <= threshold=0\.1$/);
  assert.ok(diveRuleLines(dive.stdout).includes('PASS: highestUserWastedPercent'));
});

test("CI is read as Go's strconv.ParseBool reads it (plus yes): the same values turn CI mode on as for dive", (t) => {
  if (skip) return t.skip(skip);
  const dir = project(undefined);
  const isCi = (out: string) => /^Result:/m.test(out.replace(/\x1b\[[0-9;]*m/g, ''));
  for (const v of ['t', 'T', 'TRUE', 'True', 'true', '1', 'TrUe', 'on', 'y', '0', 'false']) {
    const dive = spawnSync(DIVE, ['--source', 'docker-archive', rules('user-missing')], { cwd: dir, env: { PATH: process.env['PATH'], HOME: dir, CI: v }, encoding: 'utf8', timeout: 60_000 });
    const ours = runCli([rules('user-missing')], { cwd: dir, env: { CI: v } });
    assert.equal(isCi(ours.stdout), isCi(dive.stdout + dive.stderr), `CI=${v}`);
  }
  assert.ok(isCi(runCli([rules('user-missing')], { cwd: dir, env: { CI: 'yes' } }).stdout), 'fathom also takes yes');
});

test('keys are case-insensitive and an empty value is the default, as in dive; fractions outside 0..1 are refused', (t) => {
  if (skip) return t.skip(skip);
  const fixture = join(IMAGES, 'dive-fixtures', 'test-docker-image.tar');
  for (const cfg of ['Rules:\n  LowestEfficiency: 0.99999999\n', 'rules:\n  highestUserWastedPercent:\n  lowestEfficiency:\n']) {
    const dir = project(cfg);
    const dive = diveCi(fixture, dir);
    const ours = fathomCi(fixture, dir);
    assert.equal(ours.status, dive.status, cfg);
    assert.ok(failLines(dive.stdout).length > 0, dive.stdout);
    assert.deepEqual(failLines(ours.stdout), failLines(dive.stdout), cfg);
  }
  const dir = project('rules:\n  lowestEfficiency: 1.5\n');
  assert.match(diveCi(fixture, dir).stdout, /outside allowed range \(0-1\), given '1\.5'/);
  const ours = fathomCi(fixture, dir);
  assert.equal(ours.status, 2);
  assert.match(ours.stderr, /^fathom: \/\S+\/\.dive-ci: rules\.lowestEfficiency: 1\.5 is outside the allowed range 0\.\.1/);
  assert.equal(ours.stderr.trim().split('\n').length, 1);
});

interface DiveJson {
  layer: Array<Record<string, unknown>>;
  image: { sizeBytes: number; inefficientBytes: number; efficiencyScore: number; fileReference: Array<{ count: number; sizeBytes: number; file: string }> };
}
const DIVE_LAYER_FIELDS = ['index', 'id', 'digestId', 'sizeBytes', 'command'];

/** The dive part of a JSON export: what tools written for dive read. */
function diveFields(j: DiveJson) {
  return {
    layer: j.layer.map((l) => Object.fromEntries(DIVE_LAYER_FIELDS.map((k) => [k, l[k]]))),
    image: {
      sizeBytes: j.image.sizeBytes,
      inefficientBytes: j.image.inefficientBytes,
      efficiencyScore: j.image.efficiencyScore,
      fileReference: j.image.fileReference.map((f) => ({ count: f.count, sizeBytes: f.sizeBytes, file: f.file })),
    },
  };
}

test("--json: dive's fields are dive's exactly (layer id and command as dive writes them) on the shared docker archives", (t) => {
  if (skip) return t.skip(skip);
  const dir = project(undefined);
  const corpus = (layout: string, name: string) => join(IMAGES, 'corpus', layout, `${name}.tar`);
  const archives = [
    ...['docker-archive', 'docker-legacy', 'docker-engine', 'docker25'].flatMap((l) => [corpus(l, 'multistage'), corpus(l, 'busybox-tiny')]),
    ...['busybox-base', 'links-tiny', 'scratch-json-user', 'scratch-shell-cmd'].map((n) => corpus('docker-archive', n)),
    ...['setuid-tiny', 'waste-tiny', 'dynamic-scratch-ok', 'base-labels-pinned'].map(rules),
    join(IMAGES, 'dive-fixtures', 'test-docker-image.tar'),
    join(IMAGES, 'dive-fixtures', 'test-kaniko-image.tar'),
  ];
  for (const [i, archive] of archives.entries()) {
    const d = diveCi(archive, dir, ['--json', join(dir, `d${i}.json`)]);
    assert.equal(d.status, 0, d.stdout);
    const ours = runCli([archive, '--json', join(dir, `f${i}.json`)], { cwd: dir });
    assert.equal(ours.status, 0, ours.stderr);
    const read = (f: string) => diveFields(JSON.parse(readFileSync(join(dir, f), 'utf8')) as DiveJson);
    assert.deepEqual(read(`f${i}.json`), read(`d${i}.json`), archive);
  }
});

test('--json FILE and --format json write the same document', (t) => {
  if (skip) return t.skip(skip);
  const dir = project(undefined);
  const a = runCli([rules('setuid-tiny'), '--json', join(dir, 'a.json')], { cwd: dir });
  const b = runCli([rules('setuid-tiny'), '--format', 'json'], { cwd: dir });
  assert.equal(a.status, 0, a.stderr);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')), JSON.parse(b.stdout));
});

test("CI output lists every inefficient file, like dive's (70 files deleted a layer later)", async (t) => {
  if (skip) return t.skip(skip);
  const dir = project(undefined);
  const names = Array.from({ length: 70 }, (_, i) => `data/f${String(i).padStart(2, '0')}`);
  const archive = await dockerArchive([
    {
      tag: 'many-waste:1',
      layers: [
        { items: [{ name: 'data/', type: 'directory' }, ...names.map((name, i) => ({ name, content: 'x'.repeat(100 + i) }))] },
        { items: names.map((n) => ({ name: n.replace('data/', 'data/.wh.'), content: '' })) },
      ],
    },
  ]);
  writeFileSync(join(dir, 'many.tar'), archive);
  const section = (out: string) => {
    const lines = out.split('\n');
    const start = lines.findIndex((l) => l.trim() === 'Inefficient Files:');
    const end = lines.findIndex((l, i) => i > start && /^\s*Results:/.test(l));
    return lines.slice(start + 2, end).map((l) => l.trim()).filter((l) => l !== '');
  };
  const dive = section(diveCi(join(dir, 'many.tar'), dir).stdout);
  const ours = section(fathomCi(join(dir, 'many.tar'), dir).stdout);
  assert.equal(dive.length, 70);
  assert.deepEqual(ours, dive);
});

test("README's one-line config restores dive's verdicts: the same exit code as dive on every shared docker archive", (t) => {
  if (skip) return t.skip(skip);
  const dir = project('rules: { entrypoint-runnable: warn, shell-form-on-scratch: warn, user-not-found: warn, secret-files: warn }\n');
  const dirOf = (d: string) => readdirSync(join(IMAGES, d)).filter((f) => f.endsWith('.tar')).map((f) => join(IMAGES, d, f));
  const mismatches: string[] = [];
  for (const archive of [...dirOf('corpus/docker-archive'), ...dirOf('corpus-rules/docker-engine'), join(IMAGES, 'dive-fixtures', 'test-docker-image.tar')]) {
    const dive = diveCi(archive, dir).status;
    const ours = fathomCi(archive, dir).status;
    if (dive !== ours) mismatches.push(`${archive}: dive ${dive}, fathom ${ours}`);
  }
  assert.deepEqual(mismatches, []);
});
