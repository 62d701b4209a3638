import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { runCli } from '../helpers/runCli.js';
import { DIVE_FIXTURE } from '../helpers/shared.js';

const root = mkdtempSync(join(tmpdir(), 'fathom-gate-'));
/** A project directory of its own (package.json marks the root cosmiconfig stops at). */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'p-'));
  writeFileSync(join(dir, 'package.json'), files['package.json'] ?? '{"name":"x"}');
  for (const [name, content] of Object.entries(files)) {
    if (name === 'package.json') continue;
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}
const ci = (args: string[], cwd: string, env: Record<string, string> = { CI: 'true' }) => runCli([DIVE_FIXTURE, ...args], { cwd, env });
const line = (out: string, id: string) => out.split('\n').find((l) => l.includes(`: ${id}`))?.trim();
/** The Result line's counts, checked against the per-check lines above it. */
function tally(out: string) {
  const lines = out.trimEnd().split('\n');
  const m = /^Result:(PASS|FAIL) \[Total:(\d+)\] \[Passed:(\d+)\] \[Failed:(\d+)\] \[Warn:(\d+)\] \[Skipped:(\d+)\]$/.exec(lines.at(-1)!);
  assert.ok(m, `last line: ${lines.at(-1)}`);
  const checks = lines.slice(lines.indexOf('Results:') + 1, -1);
  const count = (s: string) => checks.filter((l) => l.startsWith(`  ${s}: `)).length;
  assert.deepEqual([m[2], m[3], m[4], m[5], m[6]].map(Number), [checks.length, count('PASS'), count('FAIL'), count('WARN'), count('SKIP')]);
  return { status: m[1], failed: Number(m[4]) };
}

test("defaults: PASS lowestEfficiency, SKIP highestWastedBytes, FAIL highestUserWastedPercent, exit 1 (dive's golden fixture)", () => {
  const r = ci([], project({}));
  assert.equal(r.status, 1, r.stderr);
  assert.match(line(r.stdout, 'lowestEfficiency')!, /^PASS: lowestEfficiency: efficiency=0\.9844212134184309 >= threshold=0\.9$/);
  assert.equal(line(r.stdout, 'highestWastedBytes'), 'SKIP: highestWastedBytes: rule disabled');
  assert.match(line(r.stdout, 'highestUserWastedPercent')!, /^FAIL: highestUserWastedPercent: .*0\.4834911001404049 > threshold=0\.1\)$/);
  assert.deepEqual(tally(r.stdout), { status: 'FAIL', failed: 1 });
  assert.match(r.stdout, /^ {2}efficiency: 98\.4421 %\n {2}wastedBytes: 32025 bytes \(32 kB\)\n {2}userWastedPercent: 48\.3491 %$/m);
  assert.match(r.stdout, /^Inefficient Files:\nCount  Wasted Space  File Path$/m);
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colours off a terminal');
});

test('the .dive-ci of the issue passes all three, exit 0', () => {
  const dir = project({ '.dive-ci': 'rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.5\n' });
  const r = ci([], dir);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(tally(r.stdout), { status: 'PASS', failed: 0 });
  for (const id of ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent']) assert.match(line(r.stdout, id)!, /^PASS: /);
});

test('highestWastedBytes 32025 passes and 32024 fails (strict, as dive)', () => {
  const pass = ci([], project({ '.dive-ci.yaml': 'rules:\n  highestWastedBytes: 32025\n  highestUserWastedPercent: off\n' }));
  assert.equal(pass.status, 0, pass.stdout);
  const fail = ci([], project({ '.dive-ci.yml': 'rules:\n  highestWastedBytes: 32024\n  highestUserWastedPercent: off\n' }));
  assert.equal(fail.status, 1);
  assert.equal(line(fail.stdout, 'highestWastedBytes'), 'FAIL: highestWastedBytes: too many bytes wasted (wasted-bytes=32025 > threshold=32024)');
});

test('config formats: .dive-ci.json and a dive-ci key in package.json', () => {
  const json = ci([], project({ '.dive-ci.json': '{"rules":{"highestUserWastedPercent":0.5}}' }));
  assert.equal(json.status, 0, json.stdout);
  const pkg = ci([], project({ 'package.json': '{"name":"y","dive-ci":{"rules":{"highestUserWastedPercent":"0.5"}}}' }));
  assert.equal(pkg.status, 0, pkg.stdout);
});

test('a config in a parent directory is found from a subdirectory', () => {
  const dir = project({ '.dive-ci': 'rules:\n  highestUserWastedPercent: 0.6\n', 'sub/deeper/keep': '' });
  const r = ci([], join(dir, 'sub', 'deeper'));
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stderr, /using CI config .*\.dive-ci/);
});

test('CLI flags override the file', () => {
  const dir = project({ '.dive-ci': 'rules:\n  highestUserWastedPercent: 0.6\n' });
  const r = ci(['--highestUserWastedPercent', '0.2', '--highestWastedBytes', '33KB'], dir);
  assert.equal(r.status, 1);
  assert.match(line(r.stdout, 'highestUserWastedPercent')!, /^FAIL: .*threshold=0\.2\)$/);
  assert.match(line(r.stdout, 'highestWastedBytes')!, /^PASS: highestWastedBytes: wasted-bytes=32025 <= threshold=33000$/);
});

test('--ci without CI in the environment; CI=1 and CI=yes also mean CI', () => {
  const dir = project({});
  assert.equal(ci(['--ci'], dir, {}).status, 1);
  assert.equal(ci([], dir, { CI: '1' }).status, 1);
  assert.equal(ci([], dir, { CI: 'yes' }).status, 1);
  const plain = ci([], dir, { CI: 'false' });
  assert.equal(plain.status, 0);
  assert.doesNotMatch(plain.stdout, /^Result:/m);
});

test('configuration errors exit 2 with one line: bad value, missing explicit file, bad YAML', () => {
  const bad = ci([], project({ '.dive-ci': 'rules:\n  highestWastedBytes: lots\n' }));
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /^fathom: \/\S+\/\.dive-ci: rules\.highestWastedBytes: cannot read "lots"/, 'the file is named');
  const missing = ci(['--ci-config', 'nope.yaml'], project({}));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^fathom: nope\.yaml: CI config file not found \(--ci-config\)\n$/);
  const yaml = ci([], project({ '.dive-ci': 'rules: [unclosed\n' }));
  assert.equal(yaml.status, 2);
  assert.match(yaml.stderr, /^fathom: .*\.dive-ci: invalid YAML/);
  const flag = ci(['--lowestEfficiency', 'high'], project({}));
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /^fathom: --lowestEfficiency: cannot read "high"/);
});

test('--ci-config names a file explicitly, wherever it is', () => {
  const dir = project({ 'conf/gate.yaml': 'rules:\n  highestUserWastedPercent: 0.5\n' });
  assert.equal(ci(['--ci-config', join(dir, 'conf', 'gate.yaml')], project({})).status, 0);
});

test('several reports in one run: SARIF valid against the official 2.1.0 schema, JUnit parsed as XML, GitLab, Markdown', () => {
  const dir = project({});
  const r = ci(['--report', 'sarif=out.sarif', '--report', 'junit=out.xml', '--report', 'gitlab=cq.json', '--report', 'markdown=pr.md', '--format', 'json', '--output', 'gate.json'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^Result:FAIL/m, 'the console report is still printed');

  const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; level: string; locations: unknown[] }> }> };
  const require = createRequire(import.meta.url);
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const ajv = new Ajv.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
  const results = sarif.runs[0]!.results;
  // the failed threshold, the warnings of the rules (busybox runs as root with a passwordless root account) and the
  // info finding as a note (the Dockerfile leaves README.md in 5 places: /somefile.txt and 4 copies of it)
  assert.deepEqual(results.map((x) => [x.ruleId, x.level]).sort(), [['duplicate-files', 'note'], ['empty-password', 'warning'], ['highestUserWastedPercent', 'error'], ['root-user', 'warning']]);
  for (const res of results) assert.ok(res.locations.length >= 1, 'GitHub rejects results without a location');

  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(readFileSync(join(dir, 'out.xml'), 'utf8'));
  const suite = xml.testsuites.testsuite;
  const cases = suite.testcase as Array<Record<string, unknown>>;
  assert.equal(suite['@tests'], String(cases.length));
  assert.equal(suite['@failures'], '1');
  assert.deepEqual(cases.slice(0, 3).map((c) => c['@name']), ['highestUserWastedPercent', 'highestWastedBytes', 'lowestEfficiency']);
  assert.ok(cases[0]!['failure']);
  assert.ok(cases[1]!['skipped'] !== undefined);
  assert.equal(suite['@skipped'], String(cases.filter((c) => c['skipped'] !== undefined).length));

  const cq = JSON.parse(readFileSync(join(dir, 'cq.json'), 'utf8')) as Array<{ fingerprint: string; severity: string; check_name: string; location: { path: string } }>;
  assert.equal(cq.length, 4);
  for (const x of cq) assert.match(x.fingerprint, /^[0-9a-f]{32}$/);
  const failed = cq.find((x) => x.check_name === 'highestUserWastedPercent')!;
  assert.equal(failed.severity, 'major');
  assert.equal(cq.find((x) => x.check_name === 'empty-password')!.location.path, 'etc/shadow');

  const md = readFileSync(join(dir, 'pr.md'), 'utf8');
  assert.match(md, /^### ❌ fathom: `dive-test:latest` failed/);
  const firstRow = md.split('\n').find((l) => l.startsWith('| ❌') || l.startsWith('| ✅') || l.startsWith('| ⏭️'));
  assert.match(firstRow!, /^\| ❌ \| \[`highestUserWastedPercent`\]/, 'failed checks first');
  assert.match(md, /<details><summary>Layers<\/summary>/);
  assert.match(md, /\| 6\.41 kB \| `\/root\/example\/somefile1\.txt` \| 3 \| 4 \| overwritten \|/);

  const gate = JSON.parse(readFileSync(join(dir, 'gate.json'), 'utf8'));
  assert.equal(gate.gate.status, 'FAIL');
  assert.equal(gate.image.efficiencyScore, 0.9844212134184309);
});

test('GitLab fingerprints are unique and stable: they do not depend on order or measured values', () => {
  const a = project({});
  const b = project({ '.dive-ci': 'rules:\n  highestWastedBytes: 100\n  lowestEfficiency: 0.99\n  highestUserWastedPercent: 0.2\n' });
  ci(['--report', 'gitlab=cq.json'], a);
  ci(['--report', 'gitlab=cq.json'], b);
  const fa = JSON.parse(readFileSync(join(a, 'cq.json'), 'utf8')) as Array<{ fingerprint: string; check_name: string }>;
  const fb = JSON.parse(readFileSync(join(b, 'cq.json'), 'utf8')) as Array<{ fingerprint: string; check_name: string }>;
  assert.equal(fb.length, 6, 'three thresholds, two rule warnings and the duplicate-files note');
  assert.equal(new Set(fb.map((x) => x.fingerprint)).size, fb.length, 'unique');
  const same = fb.find((x) => x.check_name === 'highestUserWastedPercent')!;
  const before = fa.find((x) => x.check_name === 'highestUserWastedPercent')!;
  assert.equal(same.fingerprint, before.fingerprint, 'same check, other threshold: same fingerprint');
});

test('--format FORMAT without --output prints that report on stdout; unknown formats are usage errors', () => {
  const r = ci(['--format', 'sarif'], project({}));
  assert.equal(JSON.parse(r.stdout).version, '2.1.0');
  const bad = ci(['--format', 'pdf'], project({}));
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown report format "pdf"/);
  const badReport = ci(['--report', 'sarif'], project({}));
  assert.equal(badReport.status, 2);
  assert.match(badReport.stderr, /--report sarif: expected FORMAT=FILE/);
});
