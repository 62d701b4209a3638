import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { detectBaseLayers } from '../../src/analysis/baseLayers.js';
import { ruleChecks, ruleSettingsFrom } from '../../src/ci/ruleChecks.js';
import { ConfigError } from '../../src/errors.js';
import type { Check } from '../../src/ci/check.js';
import { buildRuleContext } from '../../rules/support/context.js';
import { RULES } from '../../rules/index.js';
import { RULE_IMAGES } from '../helpers/ruleCases.js';
import { IMAGES, loadFile } from '../helpers/shared.js';
import { runCli } from '../helpers/runCli.js';

async function checksFor(file: string, raw: Record<string, unknown>, ignore: unknown[] = [], opts = { onlyUserLayers: false, today: '2026-11-23' }, baseFile?: string) {
  const image = await loadFile(file);
  const base = detectBaseLayers(image, baseFile ? await loadFile(baseFile) : undefined);
  const ctx = buildRuleContext(image, analyzeImage(image), base);
  return ruleChecks(RULES, ctx, ruleSettingsFrom(raw, ignore, RULES), opts).checks;
}
const byId = (checks: readonly Check[], id: string): Check => checks.find((c) => c.id === id)!;

test('every rule file has meta: id, title, severity, docs with a fix', () => {
  const ids = new Set<string>();
  for (const r of RULES) {
    assert.match(r.meta.id, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(!ids.has(r.meta.id), r.meta.id);
    ids.add(r.meta.id);
    assert.ok(['error', 'warn', 'info'].includes(r.meta.severity));
    assert.ok(r.meta.docs.length > 100 && /Fix:/.test(r.meta.docs), `${r.meta.id} docs say how to fix`);
  }
});

test('rules/ holds one file per rule (plus index.ts and support/); each rule has its case table in test/rules/<id>.test.ts', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(join(here, '..', '..', 'rules')).filter((f) => f !== 'index.ts' && f !== 'support');
  assert.equal(files.length, RULES.length, files.join(', '));
  for (const r of RULES) {
    const table = join(here, `${r.meta.id}.test.ts`);
    assert.ok(existsSync(table), `${r.meta.id} has no test/rules/${r.meta.id}.test.ts`);
    assert.match(readFileSync(table, 'utf8'), /^ruleCases\(/m, table);
  }
});

test('severity from .dive-ci: error|warn|info|off; unknown ids and levels are configuration errors', async () => {
  const setuid = RULE_IMAGES('docker-engine', 'setuid-tiny');
  assert.equal(byId(await checksFor(setuid, {}), 'setuid-setgid').status, 'WARN');
  assert.equal(byId(await checksFor(setuid, { 'setuid-setgid': 'error' }), 'setuid-setgid').status, 'FAIL');
  assert.equal(byId(await checksFor(setuid, { 'setuid-setgid': 'info' }), 'setuid-setgid').status, 'PASS');
  assert.equal(byId(await checksFor(setuid, { 'setuid-setgid': 'off' }), 'setuid-setgid').status, 'SKIP');
  assert.throws(() => ruleSettingsFrom({ 'no-such-rule': 'error' }, [], RULES), (e: Error) => e instanceof ConfigError && /rules\.no-such-rule: unknown rule/.test(e.message));
  assert.throws(() => ruleSettingsFrom({ 'root-user': 'fatal' }, [], RULES), /rules\.root-user: "fatal" is not one of error, warn, info, off/);
  assert.doesNotThrow(() => ruleSettingsFrom({ 'plugin/rule': 'error' }, [], RULES), "dive's example key passes through");
});

test('ignore: a glob over the path; expired ignores count again and say so; stale ones are reported', async () => {
  const setuid = RULE_IMAGES('docker-engine', 'setuid-tiny');
  const ignored = await checksFor(setuid, {}, [{ rule: 'setuid-setgid', path: '/usr/local/bin/s?-copy', reason: 'needed by the app', until: '2027-01-01' }]);
  assert.equal(byId(ignored, 'setuid-setgid').status, 'PASS');
  assert.equal(ignored.filter((c) => c.id.startsWith('ignore-')).length, 0);
  const expired = await checksFor(setuid, {}, [{ rule: 'setuid-setgid', path: '/usr/local/bin/**', until: '2026-01-01' }]);
  assert.equal(byId(expired, 'setuid-setgid').status, 'WARN');
  assert.match(byId(expired, 'ignore-expired').message, /expired on 2026-01-01: its findings count again/);
  const stale = await checksFor(setuid, {}, [{ rule: 'root-user', path: '/nothing/*' }]);
  assert.match(byId(stale, 'ignore-stale').message, /matched nothing/);
  assert.throws(() => ruleSettingsFrom({}, [{ rule: 'x', until: 'soon' }], RULES), /ignore\[0\]\.until: "soon" is not a date/);
});

test('--base marks shared layers as base by diff_id; --only-user-layers keeps findings of the user layers only', async () => {
  const image = await loadFile(join(IMAGES, 'corpus', 'docker-engine', 'busybox-tiny.tar'));
  const base = await loadFile(join(IMAGES, 'corpus', 'docker-engine', 'busybox-base.tar'));
  assert.deepEqual(detectBaseLayers(image, base).count, 1);
  assert.equal(detectBaseLayers(image, base).method, 'base-image');
  // dive's fixture: busybox's passwordless root comes from the base layer
  const fixture = join(IMAGES, 'dive-fixtures', 'test-docker-image.tar');
  assert.equal(byId(await checksFor(fixture, {}), 'empty-password').status, 'WARN');
  assert.equal(byId(await checksFor(fixture, {}, [], { onlyUserLayers: true, today: '2026-11-23' }), 'empty-password').status, 'PASS');
});

test('base by history: the base CMD before the first user layer', async () => {
  const image = await loadFile(join(IMAGES, 'dive-fixtures', 'test-docker-image.tar'));
  const b = detectBaseLayers(image);
  assert.equal(b.method, 'history');
  assert.equal(b.count, 1);
});

test('fathom rules lists every rule; fathom rules ID prints its docs; an unknown id is exit 2', () => {
  const list = runCli(['rules']);
  assert.equal(list.status, 0);
  for (const r of RULES) assert.match(list.stdout, new RegExp(`^${r.meta.id} +${r.meta.severity} +`, 'm'));
  const one = runCli(['rules', 'entrypoint-runnable']);
  assert.match(one.stdout, /^entrypoint-runnable \(error\): the command cannot start/);
  assert.match(one.stdout, /PT_INTERP/);
  const bad = runCli(['rules', 'nope']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown rule nope/);
});

test('the CLI wires rule settings, ignores, --dockerfile and --base into the gate', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'fathom-rules-cli-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"p"}');
  writeFileSync(join(dir, '.dive-ci'), 'rules:\n  highestUserWastedPercent: off\n  lowestEfficiency: off\n  root-user: error\n  setuid-setgid: error\nignore:\n  - rule: setuid-setgid\n    path: /usr/local/bin/sg-copy\n    reason: group tool\n');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nRUN true\n');
  const r = runCli([RULE_IMAGES('docker-engine', 'setuid-tiny'), '--ci', '--dockerfile', 'Dockerfile', '--base', join(IMAGES, 'corpus', 'docker-engine', 'busybox-base.tar')], { cwd: dir });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^ {2}FAIL: root-user: the container runs as root: User is not set$/m);
  assert.match(r.stdout, /^ {2}FAIL: setuid-setgid: \/usr\/local\/bin\/su-copy is setuid/m, 'sg-copy ignored, su-copy still fails');
  assert.match(r.stdout, /^ {2}WARN: unpinned-base: Dockerfile:1: FROM busybox has no tag/m);
  assert.match(r.stderr, /base image layers: 1 \(1 layer\(s\) shared with localhost\/corpus\/busybox-base:1\.35 by diff_id\)/);
  const missing = runCli([RULE_IMAGES('docker-engine', 'setuid-tiny'), '--ci', '--dockerfile', 'nope/Dockerfile'], { cwd: dir });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^fathom: nope\/Dockerfile: cannot read the Dockerfile \(ENOENT\)\n$/);
});
