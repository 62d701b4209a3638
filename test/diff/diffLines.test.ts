// `fathom diff BASE HEAD --dockerfile FILE` (or a Dockerfile/Containerfile in the working directory) puts HEAD's
// findings, new and unchanged, at HEAD's Dockerfile lines in SARIF, GitLab and the markdown, as `fathom HEAD` does.
// The pair is built here with podman (--isolation chroot) from the two Containerfiles below; every expected line
// is counted by hand in HEAD's.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BUSYBOX_BASE, diffPairsUnavailable } from '../helpers/diffPairs.js';
import { PrivatePodman } from '../helpers/privatePodman.js';
import { runCliAsync } from '../helpers/runCli.js';
import { multitoolValidate } from '../helpers/sarifMultitool.js';
import { sharedAvailable } from '../helpers/shared.js';

const unavailable = diffPairsUnavailable() ?? (sharedAvailable() ? undefined : '../shared/images is not here');
const FROM = 'localhost/corpus/busybox-base:latest';
const BASE = `FROM ${FROM}\nRUN echo a > /a.txt\n`;
const HEAD = [
  `FROM ${FROM}`, //                                                         1: the base image's findings
  '# HEAD: a set-uid copy at line 4, a user the image does not have at 6', // 2
  'RUN echo a > /a.txt', //                                                 3
  'RUN mkdir -p /usr/local/bin && echo x > /usr/local/bin/su-copy && \\', //  4
  '    chmod u+s /usr/local/bin/su-copy', //                                 5 (still line 4's RUN)
  'USER nobody-here', //                                                    6
  'CMD ["sh"]', //                                                          7
  '',
].join('\n');

const work = mkdtempSync(join(tmpdir(), 'fathom-diff-lines-'));
const podman = unavailable ? undefined : new PrivatePodman();
const archive = { base: join(work, 'base.tar'), head: join(work, 'head.tar') };

before(
  async () => {
    if (!podman) return;
    await podman.run(['load', '-i', BUSYBOX_BASE]);
    const ctx = join(work, 'ctx');
    mkdirSync(ctx);
    for (const [side, text] of [['base', BASE], ['head', HEAD]] as const) {
      writeFileSync(join(ctx, `${side}.Containerfile`), text);
      await podman.run(['build', '--isolation', 'chroot', '-q', '-t', `localhost/fathom-lines/${side}:1`, '-f', join(ctx, `${side}.Containerfile`), ctx]);
      await podman.run(['save', '--format', 'docker-archive', '-o', archive[side], `localhost/fathom-lines/${side}:1`]);
    }
  },
  { timeout: 5 * 60 * 1000 },
);
after(async () => {
  await podman?.close();
  rmSync(work, { recursive: true, force: true });
});

interface SarifResult {
  ruleId: string;
  baselineState: string;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } }; logicalLocations?: Array<{ fullyQualifiedName: string }> }>;
}
interface Reports {
  stderr: string;
  results: SarifResult[];
  gitlab: Array<{ check_name: string; location: { path: string; lines: { begin: number } } }>;
  markdown: string;
}

async function diffIn(dir: string, extra: string[]): Promise<Reports> {
  writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
  const r = await runCliAsync(['diff', archive.base, archive.head, ...extra, '--report', 'sarif=d.sarif', '--report', 'gitlab=cq.json', '--report', 'markdown=pr.md'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  assert.deepEqual(multitoolValidate([join(dir, 'd.sarif')], dir).map((i) => `${i.ruleId}: ${i.text.slice(0, 160)}`), []);
  return { stderr: r.stderr, results: (JSON.parse(read('d.sarif')) as { runs: Array<{ results: SarifResult[] }> }).runs[0]!.results, gitlab: JSON.parse(read('cq.json')), markdown: read('pr.md') };
}

/** `rule subject state line` of every SARIF result that sits in the Dockerfile. */
function atLines(results: readonly SarifResult[], uri: string): string[] {
  return results
    .filter((x) => x.locations[0]!.physicalLocation.artifactLocation.uri === uri)
    .map((x) => `${x.ruleId} ${x.locations[0]!.logicalLocations?.[0]?.fullyQualifiedName ?? ''} ${x.baselineState} ${x.locations[0]!.physicalLocation.region.startLine}`)
    .sort();
}

test("--dockerfile: HEAD's new findings at the RUN and USER lines, unchanged ones at theirs, in SARIF, GitLab and markdown", async (t) => {
  if (unavailable) return t.skip(unavailable);
  const dockerfile = join(work, 'ctx', 'head.Containerfile');
  const { results, gitlab, markdown } = await diffIn(mkdtempSync(join(work, 'flag-')), ['--dockerfile', dockerfile]);
  const uri = `file://${dockerfile}`;
  const got = atLines(results, uri);
  // new: the set-uid copy by the RUN at 4 (its continuation at 5 is the same instruction), USER nobody-here at 6;
  // unchanged: the FROM at 1 names a tag without a digest, in BASE's Dockerfile as in HEAD's
  assert.deepEqual(got, ['setuid-setgid /usr/local/bin/su-copy new 4', 'unpinned-base Dockerfile:1 unchanged 1', 'user-not-found config.User new 6']);
  // what has no line: root-user, fixed (BASE's, made by another Dockerfile), and the start regression (the image)
  const elsewhere = results.filter((x) => x.locations[0]!.physicalLocation.artifactLocation.uri !== uri).map((x) => `${x.ruleId} ${x.baselineState}`);
  assert.deepEqual(elsewhere.sort(), ['root-user absent', 'startRegression new']);
  const cq = gitlab.filter((x) => x.location.path === dockerfile).map((x) => `${x.check_name} ${x.location.lines.begin}`);
  assert.deepEqual(cq.sort(), ['setuid-setgid 4', 'unpinned-base 1', 'user-not-found 6']);
  assert.match(markdown, new RegExp(`\\| \`setuid-setgid\` \\| \`/usr/local/bin/su-copy\` \\(\`${dockerfile.replace(/[.]/g, '\\.')}:4\`\\) \\|`));
  assert.match(markdown, /\| `user-not-found` \| `config\.User` \(`\S+head\.Containerfile:6`\) \|/);
});

test('without --dockerfile, the Containerfile in the working directory is used, and fathom says so', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const dir = mkdtempSync(join(work, 'cwd-'));
  writeFileSync(join(dir, 'Containerfile'), HEAD);
  const { stderr, results, gitlab } = await diffIn(dir, []);
  assert.match(stderr, /^fathom: using \.\/Containerfile for HEAD's findings' lines/m);
  const setuid = results.find((x) => x.ruleId === 'setuid-setgid')!.locations[0]!.physicalLocation;
  assert.deepEqual([setuid.artifactLocation.uri, setuid.artifactLocation.uriBaseId, setuid.region.startLine], ['Containerfile', '%SRCROOT%', 4]);
  assert.ok(gitlab.some((x) => x.check_name === 'user-not-found' && x.location.path === 'Containerfile' && x.location.lines.begin === 6));
});
