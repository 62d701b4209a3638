// fathom as a drop-in for `CI=true dive`, checked against dive 0.12 itself side by side (skipped without it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diveCi, diveMissing, diveRuleLines } from '../helpers/dive.js';
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
