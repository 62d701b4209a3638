// The GitHub Action run here as a runner runs it: action.yml's step with the inputs in its env block, and the
// variables a runner sets (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ACTION_PATH).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/runCli.js';
import { DIVE_FIXTURE, IMAGES, sharedAvailable } from '../helpers/shared.js';

const skip = sharedAvailable() ? undefined : 'no ../shared/images';

interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ id: string; run: string; env: Record<string, string> }> };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;

/** The step as the runner would run it: each input's value (or its default) through the step's env mapping. */
function runAction(inputs: Record<string, string>, cwd: string) {
  const step = action.runs.steps[0]!;
  const env: Record<string, string> = { PATH: process.env['PATH']!, HOME: cwd, GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: join(cwd, 'output'), GITHUB_STEP_SUMMARY: join(cwd, 'summary') };
  for (const [name, expr] of Object.entries(step.env)) {
    const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(expr)![1]!;
    env[name] = inputs[input] ?? action.inputs[input]!.default ?? '';
  }
  writeFileSync(env['GITHUB_OUTPUT']!, '');
  writeFileSync(env['GITHUB_STEP_SUMMARY']!, '');
  const r = spawnSync('bash', ['-c', step.run], { cwd, env, encoding: 'utf8' });
  const outputs = Object.fromEntries(readFileSync(env['GITHUB_OUTPUT']!, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('=') as [string, string]));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs, summary: readFileSync(env['GITHUB_STEP_SUMMARY']!, 'utf8') };
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-action-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"app"}');
  return dir;
}

test('action.yml is a composite action whose step maps every input and whose outputs come from that step', () => {
  assert.equal(action.runs.using, 'composite');
  const step = action.runs.steps[0]!;
  assert.deepEqual(Object.values(step.env).map((e) => /inputs\.([a-z-]+)/.exec(e)![1]).sort(), Object.keys(action.inputs).sort());
  for (const o of Object.values(action.outputs)) assert.match(o.value, new RegExp(`^\\$\\{\\{ steps\\.${step.id}\\.outputs\\.[a-z-]+ \\}\\}$`));
});

test('the action on a passing image: reports written, the markdown in the job summary, outputs set', (t) => {
  if (skip) return t.skip(skip);
  const dir = project();
  const r = runAction({ archive: join(IMAGES, 'corpus-rules', 'docker-engine', 'setuid-tiny.tar') }, dir);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.outputs, { result: 'pass', 'exit-code': '0', sarif: 'fathom.sarif', markdown: 'fathom.md' });
  assert.equal(r.summary, readFileSync(join(dir, 'fathom.md'), 'utf8'));
  assert.match(r.summary, /^### ✅ fathom: `localhost\/extra\/setuid-tiny:latest` passed/);
  const sarif = JSON.parse(readFileSync(join(dir, 'fathom.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
  assert.ok(sarif.runs[0]!.results.some((x) => x.ruleId === 'setuid-setgid'));
});

test('the action on a failing image fails the step with the reports still written; fail-on never reports only', (t) => {
  if (skip) return t.skip(skip);
  const dir = project();
  const r = runAction({ archive: DIVE_FIXTURE, sarif: 'dive.sarif' }, dir);
  assert.equal(r.status, 1);
  assert.equal(r.outputs['result'], 'fail');
  assert.equal(r.outputs['sarif'], 'dive.sarif');
  assert.ok(readFileSync(join(dir, 'dive.sarif'), 'utf8').includes('highestUserWastedPercent'));
  assert.match(r.summary, /^### ❌ fathom: `dive-test:latest` failed/);
  const never = runAction({ archive: DIVE_FIXTURE, 'fail-on': 'never' }, project());
  assert.equal(never.status, 0);
  assert.equal(never.outputs['result'], 'pass');
  const none = runAction({}, project());
  assert.equal(none.status, 2);
  assert.match(none.stdout, /^::error title=fathom::set the image or the archive input$/m);
});
