// With the Dockerfile, every finding points at the line that caused it — in SARIF, GitLab and the markdown — on
// the corpus-rules images; each expected line read by hand from ../shared/images/corpus-rules/dockerfiles/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/runCli.js';
import { multitoolValidate } from '../helpers/sarifMultitool.js';
import { IMAGES, sharedAvailable } from '../helpers/shared.js';

const skip = sharedAvailable() ? undefined : 'no ../shared/images';
const work = mkdtempSync(join(tmpdir(), 'fathom-dflines-'));
writeFileSync(join(work, 'package.json'), '{"name":"x"}');

/** rule id and subject (path or config field) → line, for every finding of the image. */
const EXPECTED: Record<string, Record<string, number>> = {
  // FROM 14; the RUN at 15 makes both set-id copies; USER is never set: the FROM's base decides it
  'setuid-tiny': { 'root-user config.User': 14, 'setuid-setgid /usr/local/bin/sg-copy': 15, 'setuid-setgid /usr/local/bin/su-copy': 15, 'unpinned-base Dockerfile:14': 14, 'duplicate-files /bin/busybox': 15 },
  'root-numeric': { 'root-user config.User': 7, 'unpinned-base Dockerfile:6': 6 }, // USER 0:0 at 7
  'dynamic-scratch-broken': { 'entrypoint-runnable /bin/ls': 11, 'root-user config.User': 9 }, // ENTRYPOINT at 11, FROM scratch at 9
  'user-missing': { 'user-not-found config.User': 8, 'unpinned-base Dockerfile:7': 7 }, // USER app at 8
  // the RUN at 24 fills /var/cache/apk and /root/.npm/_cacache
  'waste-tiny': { 'package-cache /var/cache/apk': 24, 'package-cache /root/.npm/_cacache': 24, 'unpinned-base Dockerfile:18': 18 },
  // the LABEL at 8 names the base without a digest
  'base-labels-unpinned': { 'root-user config.User': 7, 'unpinned-base config.Labels["org.opencontainers.image.base.name"]': 8, 'unpinned-base Dockerfile:7': 7 },
};

interface Sarif {
  runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations?: Array<{ fullyQualifiedName: string }> }> }> }>;
}

async function review(name: string, dir: string, dockerfileArg: string[]) {
  const r = await runCliAsync([join(IMAGES, 'corpus-rules', 'docker-engine', `${name}.tar`), '--ci', ...dockerfileArg, '--report', `sarif=${name}.sarif`, '--report', `gitlab=${name}.json`, '--report', `markdown=${name}.md`], { cwd: dir });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return r;
}

test('SARIF, GitLab and markdown point each finding at its Dockerfile line (--dockerfile)', async (t) => {
  if (skip) return t.skip(skip);
  for (const [name, want] of Object.entries(EXPECTED)) {
    const dockerfile = join(IMAGES, 'corpus-rules', 'dockerfiles', `${name}.Dockerfile`);
    await review(name, work, ['--dockerfile', dockerfile]);
    const sarif = JSON.parse(readFileSync(join(work, `${name}.sarif`), 'utf8')) as Sarif;
    const got: string[] = [];
    for (const x of sarif.runs[0]!.results) {
      const loc = x.locations[0]!;
      if (!loc.physicalLocation.artifactLocation.uri.endsWith(`${name}.Dockerfile`)) continue; // image-wide figures
      got.push(`${x.ruleId} ${loc.logicalLocations![0]!.fullyQualifiedName} ${loc.physicalLocation.region.startLine}`);
    }
    assert.deepEqual([...new Set(got)].sort(), Object.entries(want).map(([k, v]) => `${k} ${v}`).sort(), name);
    const cq = JSON.parse(readFileSync(join(work, `${name}.json`), 'utf8')) as Array<{ check_name: string; location: { path: string; lines: { begin: number } } }>;
    const lines = cq.filter((x) => x.location.path === dockerfile).map((x) => x.location.lines.begin);
    assert.deepEqual([...new Set(lines)].sort(), [...new Set(Object.values(want))].sort(), `${name}: GitLab`);
    assert.equal(lines.length, got.length, `${name}: one GitLab entry per SARIF result at a line`);
  }
  const md = readFileSync(join(work, 'setuid-tiny.md'), 'utf8');
  assert.match(md, /^- `\/usr\/local\/bin\/su-copy` \(`\S+setuid-tiny\.Dockerfile:15`\): /m);
  const issues = multitoolValidate(Object.keys(EXPECTED).map((n) => join(work, `${n}.sarif`)), work);
  assert.deepEqual(issues.map((i) => `${i.file}: ${i.ruleId}: ${i.text.slice(0, 160)}`), []);
});

test('without --dockerfile, a Dockerfile in the working directory is used, and fathom says so', async (t) => {
  if (skip) return t.skip(skip);
  const dir = mkdtempSync(join(work, 'cwd-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"y"}');
  copyFileSync(join(IMAGES, 'corpus-rules', 'dockerfiles', 'root-numeric.Dockerfile'), join(dir, 'Dockerfile'));
  const r = await review('root-numeric', dir, []);
  assert.match(r.stderr, /^fathom: using \.\/Dockerfile for the findings' lines/m);
  const sarif = JSON.parse(readFileSync(join(dir, 'root-numeric.sarif'), 'utf8')) as Sarif;
  const root = sarif.runs[0]!.results.find((x) => x.ruleId === 'root-user')!.locations[0]!.physicalLocation;
  assert.deepEqual([root.artifactLocation.uri, root.region.startLine], ['Dockerfile', 7]);
});
