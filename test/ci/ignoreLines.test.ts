// A stale or expired ignore is about the configuration, not the image: SARIF, GitLab and the markdown point it at
// its entry's line in the .dive-ci (or package.json), found from the YAML parser's source positions. The expected
// lines are counted by hand in the files written below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerArchive } from '../helpers/buildArchive.js';
import { runCliAsync } from '../helpers/runCli.js';
import { multitoolValidate } from '../helpers/sarifMultitool.js';

const work = mkdtempSync(join(tmpdir(), 'fathom-ignorelines-'));

// one setuid file, so the first ignore is used; the other two are stale and expired
const DIVE_CI = [
  '# ignores at known lines', //                                   1
  'rules:', //                                                     2
  '  lowestEfficiency: 0.5', //                                    3
  'Ignore:', //                                                    4  (keys are case-insensitive, as dive's)
  '  # used: not reported', //                                     5
  '  - rule: setuid-setgid', //                                    6
  '    path: /usr/bin/s*', //                                      7
  '    reason: the app needs it', //                               8
  '', //                                                           9
  '  - rule: world-writable   # matches nothing: stale', //        10
  '    path: /nowhere/**', //                                      11
  '  - { rule: root-user, until: 2020-01-01 }   # expired', //    12
].join('\n');

interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } };
  logicalLocations?: Array<{ fullyQualifiedName: string }>;
}
interface Sarif {
  runs: Array<{ results: Array<{ ruleId: string; locations: SarifLocation[] }> }>;
}
interface GitlabEntry {
  check_name: string;
  location: { path: string; lines: { begin: number } };
}

async function reviewIn(dir: string): Promise<{ sarif: Sarif; gitlab: GitlabEntry[]; markdown: string }> {
  const archive = await dockerArchive([{ tag: 'ignorelines:1', config: { Cmd: ['/usr/bin/su'] }, layers: [{ items: [{ name: 'usr/' }, { name: 'usr/bin/', type: 'directory' }, { name: 'usr/bin/su', content: '#!x', mode: 0o4755 }] }] }]);
  writeFileSync(join(dir, 'x.tar'), archive);
  const r = await runCliAsync(['x.tar', '--ci', '--report', 'sarif=r.sarif', '--report', 'gitlab=cq.json', '--report', 'markdown=pr.md'], { cwd: dir });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { sarif: JSON.parse(read('r.sarif')) as Sarif, gitlab: JSON.parse(read('cq.json')) as GitlabEntry[], markdown: read('pr.md') };
}

const at = (l: SarifLocation) => `${l.physicalLocation.artifactLocation.uri} ${l.physicalLocation.region.startLine} ${l.logicalLocations?.[0]?.fullyQualifiedName}`;

test('.dive-ci: a stale ignore points at line 10, an expired one at line 12, in SARIF, GitLab and markdown', async () => {
  const dir = mkdtempSync(join(work, 'yaml-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
  writeFileSync(join(dir, '.dive-ci'), DIVE_CI);
  const { sarif, gitlab, markdown } = await reviewIn(dir);
  const results = sarif.runs[0]!.results;
  const one = (id: string) => results.filter((x) => x.ruleId === id).map((x) => at(x.locations[0]!));
  assert.deepEqual(one('ignore-stale'), ['.dive-ci 10 ignore[1]']);
  assert.deepEqual(one('ignore-expired'), ['.dive-ci 12 ignore[2]']);
  assert.equal(results.find((x) => x.ruleId === 'ignore-stale')!.locations[0]!.physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
  const lines = (id: string) => gitlab.filter((x) => x.check_name === id).map((x) => `${x.location.path} ${x.location.lines.begin}`);
  assert.deepEqual(lines('ignore-stale'), ['.dive-ci 10']);
  assert.deepEqual(lines('ignore-expired'), ['.dive-ci 12']);
  assert.match(markdown, /^\| ⚠️ \| \[`ignore-stale`\]\(\S+\) \| ignore \{ rule: world-writable, path: \/nowhere\/\*\* \} matched nothing: remove it \(`\.dive-ci:10`\) \|$/m);
  assert.match(markdown, /^\| ⚠️ \| \[`ignore-expired`\]\(\S+\) \| .* \(`\.dive-ci:12`\) \|$/m);
  assert.deepEqual(multitoolValidate([join(dir, 'r.sarif')], dir).map((i) => `${i.ruleId}: ${i.text.slice(0, 160)}`), []);
});

test('package.json\'s "dive-ci" key: the stale ignore points at its line there (5)', async () => {
  const dir = mkdtempSync(join(work, 'pkg-'));
  const pkg = [
    '{', //                                                         1
    '  "name": "x",', //                                            2
    '  "dive-ci": {', //                                            3
    '    "ignore": [', //                                           4
    '      { "rule": "world-writable", "path": "/nowhere" }', //   5
    '    ]', //                                                     6
    '  }', //                                                       7
    '}', //                                                         8
  ].join('\n');
  writeFileSync(join(dir, 'package.json'), pkg);
  const { sarif, gitlab } = await reviewIn(dir);
  const stale = sarif.runs[0]!.results.filter((x) => x.ruleId === 'ignore-stale').map((x) => at(x.locations[0]!));
  assert.deepEqual(stale, ['package.json 5 ignore[0]']);
  assert.deepEqual(gitlab.filter((x) => x.check_name === 'ignore-stale').map((x) => `${x.location.path} ${x.location.lines.begin}`), ['package.json 5']);
});

test('--ci-config outside the working directory: the file by its absolute path, as a file URI', async () => {
  const dir = mkdtempSync(join(work, 'outside-'));
  const cfgDir = mkdtempSync(join(work, 'cfg-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
  writeFileSync(join(cfgDir, 'gate.yaml'), 'ignore:\n  - rule: world-writable\n');
  const archive = await dockerArchive([{ tag: 'ignorelines:1', config: { Cmd: ['/usr/bin/su'] }, layers: [{ items: [{ name: 'usr/' }, { name: 'usr/bin/', type: 'directory' }, { name: 'usr/bin/su', content: '#!x' }] }] }]);
  writeFileSync(join(dir, 'x.tar'), archive);
  const r = await runCliAsync(['x.tar', '--ci', '--ci-config', join(cfgDir, 'gate.yaml'), '--report', 'sarif=r.sarif'], { cwd: dir });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const sarif = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')) as Sarif;
  const stale = sarif.runs[0]!.results.find((x) => x.ruleId === 'ignore-stale')!.locations[0]!;
  assert.deepEqual([stale.physicalLocation.artifactLocation.uri, stale.physicalLocation.region.startLine], [`file://${join(cfgDir, 'gate.yaml')}`, 2]);
});
