// `fathom diff` on pairs of images built with podman (test/helpers/diffPairs.ts): every change kind the issue lists,
// checked against hand-worked expectations and against `podman image diff` on the same pair; every layout alike;
// the JSON against the shipped schema; the gate's exit codes; SARIF's baselineState.
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { diffPairs, diffPairsUnavailable, type DiffPairs } from '../helpers/diffPairs.js';
import { ROOT, runCli } from '../helpers/runCli.js';
import { sharedAvailable } from '../helpers/shared.js';

const unavailable = diffPairsUnavailable() ?? (sharedAvailable() ? undefined : '../shared/images is not here');
let pairs: DiffPairs;
const work = mkdtempSync(join(tmpdir(), 'fathom-diff-test-'));

before(
  async () => {
    if (!unavailable) pairs = await diffPairs();
  },
  { timeout: 5 * 60 * 1000 },
);
after(() => pairs?.close());

interface FileRow {
  path: string;
  change: string;
  from?: string;
  kinds: string[];
  sizeBase: number;
  sizeHead: number;
  filesBase: number;
  filesHead: number;
  base?: { type: string; mode?: number; uid?: number; gid?: number; link?: string };
  head?: { type: string; mode?: number; uid?: number; gid?: number; link?: string };
}
interface DiffJson {
  layers: { shared: number; baseOnly: string[]; headOnly: string[]; rows: Array<{ diffId: string; state: string; base?: number; head?: number; storedSize: number }>; pullLayers: number };
  sizeBytes: { base: number; head: number; delta: number };
  pullBytes: number;
  files: FileRow[];
  findings: Record<'new' | 'fixed' | 'unchanged', Array<{ ruleId: string; path?: string; configField?: string; fingerprint: string }>>;
  start: { base: string; head: string; regression: boolean; reasons: Array<{ ruleId: string; message: string }> };
  config: Array<{ field: string; change: string; base?: unknown; head?: unknown }>;
  packages: { added: Array<{ name: string; version: string }>; removed: Array<{ name: string; version: string }>; changed: Array<{ name: string; base: string; head: string; direction: string }> };
  directories: Array<{ path: string; delta: number }>;
  waste: { introduced: { files: Array<{ path: string }> } };
  baseImage: { changed: boolean };
  gate?: { status: string };
}

const made = new Map<string, string>();

/** `fathom diff --json` of a pair, once per pair and options (each test gets its own copy to change). */
function diffJson(base: string, head: string, extra: string[] = []): DiffJson {
  const key = [base, head, ...extra].join('\0');
  let text = made.get(key);
  if (text === undefined) {
    const out = join(work, `d-${made.size}.json`);
    const r = runCli(['diff', base, head, '--json', out, ...extra]);
    assert.equal(r.status, 0, r.stderr);
    text = readFileSync(out, 'utf8');
    made.set(key, text);
  }
  return JSON.parse(text) as DiffJson;
}

const compact = (f: FileRow) => [f.change, f.path, f.from ?? '', f.kinds.join('+')].join(' ');

/** Worked out from the two Containerfiles by hand (sizes are the echo'd strings with their newline). */
const EDITS_EXPECTED: Array<[string, string, string, string, number, number, number, number]> = [
  // change, path, from, kinds, sizeBase, sizeHead, filesBase, filesHead
  ['changed', '/app/d2f', '', 'type+mode', 2, 11, 1, 1], // dir with x ("x\n") → file "now-a-file\n"
  ['removed', '/app/deleted.txt', '', '', 5, 0, 1, 0],
  ['changed', '/app/f2d', '', 'type+mode', 2, 6, 1, 1], // file "f\n" → dir with inner ("inner\n")
  ['changed', '/app/link', '', 'symlink', 0, 0, 1, 1],
  ['changed', '/app/mode.txt', '', 'mode', 2, 2, 1, 1],
  // a new tree, listed once at its top: n ("n\n") and h1 ("hh\n"); h2, a hard link to h1, is 0 bytes as in the layer's tar
  ['added', '/app/new', '', '', 0, 5, 0, 3],
  ['removed', '/app/opq/a', '', '', 2, 0, 1, 0], // opaque and refilled: a and b gone, c new, /app/opq itself unchanged
  ['removed', '/app/opq/b', '', '', 2, 0, 1, 0],
  ['added', '/app/opq/c', '', '', 0, 2, 0, 1],
  ['changed', '/app/owner.txt', '', 'owner', 2, 2, 1, 1],
  ['changed', '/app/same-size.txt', '', 'modified', 5, 5, 1, 1],
  ['changed', '/app/suid', '', 'mode', 2, 2, 1, 1],
  ['moved', '/app/to.txt', '/app/from.txt', '', 16, 16, 1, 1],
  ['removed', '/app/tree', '', '', 7, 0, 2, 0], // t1 ("t1\n") and sub/t2 ("t22\n")
  ['changed', '/lib/apk/db/installed', '', 'modified', 85, 87, 1, 1],
];

test('every change kind of one RUN, as worked out by hand', (t) => {
  if (unavailable) return t.skip(unavailable);
  const d = diffJson(pairs.archive.base, pairs.archive.edits);
  const got = d.files.map((f) => [f.change, f.path, f.from ?? '', f.kinds.join('+'), f.sizeBase, f.sizeHead, f.filesBase, f.filesHead]);
  assert.deepEqual(got, EDITS_EXPECTED);
  const byPath = new Map(d.files.map((f) => [f.path, f]));
  assert.equal(byPath.get('/app/suid')!.head!.mode, 0o4644, 'setuid added');
  assert.deepEqual([byPath.get('/app/owner.txt')!.head!.uid, byPath.get('/app/owner.txt')!.head!.gid], [1000, 1000]);
  assert.deepEqual([byPath.get('/app/link')!.base!.link, byPath.get('/app/link')!.head!.link], ['same-size.txt', 'mode.txt']);
  assert.equal(byPath.get('/app/mode.txt')!.head!.mode, 0o600);
  // the hard link's target was left alone, so the link is unchanged; the file rewritten in place is "modified"
  assert.ok(!byPath.has('/app/hard') && !byPath.has('/app/hard-target'));
  // HEAD = BASE + one RUN
  assert.equal(d.layers.shared, 2);
  assert.deepEqual(d.layers.baseOnly, []);
  assert.equal(d.layers.headOnly.length, 1);
  assert.equal(d.layers.pullLayers, 1);
  assert.equal(d.pullBytes, d.layers.rows[2]!.storedSize);
  assert.equal(d.sizeBytes.delta, d.sizeBytes.head - d.sizeBytes.base);
  // per directory, largest change first; /lib and /lib/apk only pass /lib/apk/db's total on
  assert.deepEqual(d.directories.map((x) => [x.path, x.delta]), [['/app', 4], ['/app/opq', -2], ['/lib/apk/db', 2]]);
  assert.deepEqual(d.findings.new.map((f) => [f.ruleId, f.path]), [['setuid-setgid', '/app/suid']]);
  assert.ok(d.findings.unchanged.some((f) => f.ruleId === 'root-user'));
  assert.ok(d.waste.introduced.files.some((f) => f.path === '/app/tree/t1'), 'the bytes HEAD deleted are waste it introduced');
  assert.equal(d.baseImage.changed, false);
  // apk's db (printf'd in the Containerfiles): zlib → curl, busybox 1.36.1-r5 → 1.36.0-r0, musl -r2 → -r3
  assert.deepEqual(d.packages.added.map((p) => `${p.name} ${p.version}`), ['curl 8.5.0-r0']);
  assert.deepEqual(d.packages.removed.map((p) => `${p.name} ${p.version}`), ['zlib 1.3-r0']);
  assert.deepEqual(d.packages.changed.map((p) => `${p.name} ${p.base} ${p.head} ${p.direction}`), ['busybox 1.36.1-r5 1.36.0-r0 downgraded', 'musl 1.2.4-r2 1.2.4-r3 upgraded']);
});

test('--expand lists every path of an added or removed tree', (t) => {
  if (unavailable) return t.skip(unavailable);
  const d = diffJson(pairs.archive.base, pairs.archive.edits, ['--expand']);
  const paths = d.files.filter((f) => f.path.startsWith('/app/tree') || f.path.startsWith('/app/new')).map(compact);
  assert.deepEqual(paths, ['added /app/new  ', 'added /app/new/deep  ', 'added /app/new/deep/h1  ', 'added /app/new/deep/h2  ', 'added /app/new/deep/n  ', 'removed /app/tree  ', 'removed /app/tree/sub  ', 'removed /app/tree/sub/t2  ', 'removed /app/tree/t1  ']);
  assert.equal(d.files.find((f) => f.path === '/app/tree/sub')!.sizeBase, 4);
});

/**
 * `podman image diff` as the oracle, normalised:
 * - `podman image diff X Y` lists what X has against Y, so BASE HEAD is asked and added/deleted swapped back
 *   (podman 4.3 fails the other way round with ENOTDIR when a file became a directory);
 * - only paths whose parent is a directory in both images' filesystems (lstat in `podman image mount`) are kept,
 *   which folds a removed or added tree into its top and drops what lies below a file↔directory change;
 * - podman marks a directory changed when its mtime moved (something inside changed); fathom ignores mtimes, so a
 *   "changed" directory whose type, mode and owner lstat alike on both sides is dropped;
 * - fathom's moves are a removal and an addition to podman;
 * - podman leaves out the paths a runtime mounts over (libpod/diff.go's containerMounts: /dev, /proc, /sys, /run,
 *   /run/.containerenv, /run/secrets, /etc/hostname, /etc/hosts, /etc/resolv.conf), which a RUN under chroot
 *   isolation leaves in its layer: they are dropped from fathom's side.
 */
async function podmanSets(base: string, head: string) {
  const raw = JSON.parse(await pairs.podman.run(['image', 'diff', '--format', 'json', base, head])) as Record<'changed' | 'added' | 'deleted', string[] | undefined>;
  const baseRoot = (await pairs.podman.run(['image', 'mount', base])).trim();
  const headRoot = (await pairs.podman.run(['image', 'mount', head])).trim();
  const stat = (root: string, p: string) => {
    try {
      return lstatSync(join(root, p));
    } catch {
      return undefined;
    }
  };
  const parentIsDirOnBoth = (p: string) => {
    const up = p.slice(0, p.lastIndexOf('/')) || '/';
    return stat(baseRoot, up)?.isDirectory() === true && stat(headRoot, up)?.isDirectory() === true;
  };
  const onlyMtime = (p: string) => {
    const a = stat(baseRoot, p);
    const b = stat(headRoot, p);
    return a !== undefined && b !== undefined && a.isDirectory() && b.isDirectory() && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid;
  };
  const norm = (list: string[] | undefined) => (list ?? []).filter(parentIsDirOnBoth).sort();
  return { added: norm(raw.deleted), removed: norm(raw.added), changed: norm(raw.changed).filter((p) => !onlyMtime(p)) };
}

const CONTAINER_MOUNTS = new Set(['/dev', '/proc', '/sys', '/run', '/run/.containerenv', '/run/secrets', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf']);

function fathomSets(d: DiffJson) {
  const out = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
  for (const f of d.files) {
    if (f.change === 'moved') {
      out.added.push(f.path);
      out.removed.push(f.from!);
    } else out[f.change as 'added' | 'removed' | 'changed'].push(f.path);
  }
  for (const k of ['added', 'removed', 'changed'] as const) out[k] = out[k].filter((p) => !CONTAINER_MOUNTS.has(p)).sort();
  return out;
}

test('the added, removed and changed sets agree with podman image diff', async (t) => {
  if (unavailable) return t.skip(unavailable);
  for (const [b, h] of [['base', 'edits'], ['copyOnly', 'inserted'], ['base', 'broken'], ['base', 'copyOnly']] as const) {
    const podman = await podmanSets(pairs.ref[b], pairs.ref[h]);
    assert.deepEqual(fathomSets(diffJson(pairs.archive[b], pairs.archive[h])), podman, `${b} → ${h}`);
    if (h === 'edits') assert.ok(podman.changed.includes('/app/same-size.txt') && podman.changed.includes('/app/f2d'), 'the oracle saw the changes at all');
  }
});

test('every layout gives the same comparison, and shared layers stay shared across layouts and compressions', (t) => {
  if (unavailable) return t.skip(unavailable);
  const reference = diffJson(pairs.archive.base, pairs.archive.edits);
  const key = (d: DiffJson) => JSON.stringify([d.files, d.layers.shared, d.layers.baseOnly, d.layers.headOnly, d.sizeBytes, d.packages]);
  for (const [base, head] of [
    [pairs.ociArchive.base, pairs.ociArchive.edits],
    [pairs.zstdArchive.base, pairs.zstdArchive.edits],
    [pairs.archive.base, pairs.zstdArchive.edits],
    [pairs.zstdArchive.base, pairs.ociArchive.edits],
  ] as const) {
    const d = diffJson(base, head);
    assert.equal(key(d), key(reference), `${base} → ${head}`);
  }
  // an OCI layout directory, and BASE on stdin
  assert.equal(key(diffJson(pairs.ociArchive.base, pairs.ociDir)), key(reference), 'oci: directory');
  const out = join(work, 'stdin.json');
  const piped = runCli(['diff', '-', pairs.archive.edits, '--json', out], { input: readFileSync(pairs.archive.base) });
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(key(JSON.parse(readFileSync(out, 'utf8')) as DiffJson), key(reference), 'BASE from stdin');
  // the pull is what HEAD stores: an uncompressed layer in a docker-archive, a zstd one in the OCI archive
  const zstd = diffJson(pairs.archive.base, pairs.zstdArchive.edits);
  assert.ok(zstd.pullBytes < reference.pullBytes, `${zstd.pullBytes} < ${reference.pullBytes}`);
});

test('bad input: one line naming the file, exit 2', (t) => {
  if (unavailable) return t.skip(unavailable);
  const missing = runCli(['diff', pairs.archive.base, join(work, 'no-such.tar')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^fathom: .*no-such\.tar: no such file\n$/);
  const one = runCli(['diff', pairs.archive.base]);
  assert.equal(one.status, 2);
  assert.equal(one.stderr.trim().split('\n').length, 1, one.stderr);
  const both = runCli(['diff', '-', '-']);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /only one of BASE and HEAD can be -/);
});

test('identical images: nothing changed, nothing to pull, in two layouts', (t) => {
  if (unavailable) return t.skip(unavailable);
  const d = diffJson(pairs.archive.base, pairs.zstdArchive.base);
  assert.deepEqual(d.files, []);
  assert.equal(d.layers.shared, 2);
  assert.deepEqual([d.layers.baseOnly, d.layers.headOnly, d.pullBytes, d.sizeBytes.delta], [[], [], 0, 0]);
  assert.deepEqual(d.findings.new, []);
  assert.deepEqual(d.findings.fixed, []);
  assert.deepEqual(d.config, []);
});

test('a layer inserted in the middle: the prefix ends there, the layer both have is not pulled again', (t) => {
  if (unavailable) return t.skip(unavailable);
  const d = diffJson(pairs.archive.copyOnly, pairs.archive.inserted);
  assert.equal(d.layers.shared, 1);
  assert.equal(d.layers.baseOnly.length, 1);
  assert.equal(d.layers.headOnly.length, 2);
  assert.equal(d.layers.headOnly[1], d.layers.baseOnly[0], 'the COPY layer is one diff_id at index 1 in BASE and 2 in HEAD');
  assert.deepEqual(d.layers.rows.map((r) => r.state), ['shared', 'elsewhere', 'head-only', 'elsewhere']);
  assert.equal(d.layers.pullLayers, 1);
  assert.equal(d.pullBytes, d.layers.rows[2]!.storedSize);
  // a RUN under podman's chroot isolation leaves its mount points behind: busybox-base has none of them
  assert.deepEqual(d.files.map(compact), ['added /dev  ', 'added /etc/hostname  ', 'added /inserted.txt  ', 'added /proc  ', 'added /run  ', 'added /sys  ']);
});

test('a start regression comes first, with the missing piece; config changes are listed', (t) => {
  if (unavailable) return t.skip(unavailable);
  const d = diffJson(pairs.archive.base, pairs.archive.broken);
  assert.equal(d.start.regression, true);
  assert.deepEqual([d.start.base, d.start.head], ['starts', 'fails']);
  assert.match(d.start.reasons[0]!.message, /\/app\/server: no such file or directory/);
  assert.deepEqual(
    d.config.map((c) => `${c.change} ${c.field}`),
    ['added Entrypoint', 'removed Cmd', 'added WorkingDir', 'added Env.MODE', 'changed Env.PATH', 'added ExposedPorts', 'added Volumes', 'added Labels.org.example.team'],
  );
  const text = runCli(['diff', pairs.archive.base, pairs.archive.broken]);
  assert.equal(text.status, 0, 'outside CI a diff only reports');
  const lines = text.stdout.split('\n');
  assert.match(lines[1]!, /^HEAD NO LONGER STARTS/, 'the answer first, before the sizes');
  assert.match(lines[2]!, /entrypoint-runnable: exec: "\/app\/server"/);
});

test('the gate: a size increase and a start regression fail with exit 1 in dive\'s PASS/FAIL style; thresholds met pass', (t) => {
  if (unavailable) return t.skip(unavailable);
  const project = mkdtempSync(join(work, 'p-'));
  writeFileSync(join(project, 'package.json'), '{"name":"x"}');
  writeFileSync(join(project, '.dive-ci'), 'diff:\n  maxSizeIncrease: 10B\n  failOnNewFindings: off\n');
  const grew = runCli(['diff', pairs.archive.base, pairs.archive.edits], { cwd: project, env: { CI: 'true' } });
  assert.equal(grew.status, 1, grew.stderr);
  assert.match(grew.stdout, /^ {2}FAIL: maxSizeIncrease: the image grew too much \(size-increase=\d+ > threshold=10\)$/m);
  assert.match(grew.stdout, /^ {2}SKIP: newFindings: rule disabled$/m);
  assert.match(grew.stdout, /^Result:FAIL \[Total:5\] \[Passed:\d\] \[Failed:1\] \[Warn:0\] \[Skipped:\d\]$/m);

  const ok = runCli(['diff', pairs.archive.base, pairs.archive.edits, '--ci', '--maxSizeIncrease', '1MB', '--maxSizeIncreasePercent', '0.05', '--maxPullIncrease', '1MiB', '--failOnNewFindings', 'error'], { cwd: project });
  assert.equal(ok.status, 0, ok.stdout);
  assert.match(ok.stdout, /^ {2}PASS: maxSizeIncrease: size-increase=\d+ <= threshold=1000000$/m);
  assert.match(ok.stdout, /^ {2}WARN: newFindings: 1 new finding\(s\): setuid-setgid/m, 'a new warning warns, it does not fail at level error');
  assert.match(ok.stdout, /^Result:PASS/m);

  const warnFails = runCli(['diff', pairs.archive.base, pairs.archive.edits, '--ci', '--failOnNewFindings', 'warn'], { cwd: project });
  assert.equal(warnFails.status, 1);

  const broken = runCli(['diff', pairs.archive.base, pairs.archive.broken, '--ci', '--failOnNewFindings', 'off', '--maxSizeIncrease', 'disabled'], { cwd: project });
  assert.equal(broken.status, 1);
  assert.match(broken.stdout, /^ {2}FAIL: startRegression: BASE starts, HEAD does not: entrypoint-runnable: /m);
  const allowed = runCli(['diff', pairs.archive.base, pairs.archive.broken, '--ci', '--failOnNewFindings', 'off', '--failOnStartRegression', 'false', '--maxSizeIncrease', 'disabled'], { cwd: project });
  assert.equal(allowed.status, 0, allowed.stdout);

  writeFileSync(join(project, '.dive-ci'), 'diff:\n  maxSizeIncrease: lots\n');
  const bad = runCli(['diff', pairs.archive.base, pairs.archive.edits, '--ci'], { cwd: project });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^fathom: \S*\.dive-ci: diff\.maxSizeIncrease: cannot read "lots" as a size/);
});

test('the JSON validates against schema/diff.schema.json for every pair', (t) => {
  if (unavailable) return t.skip(unavailable);
  const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'diff.schema.json'), 'utf8')) as object;
  const ajv = new Ajv2020.default({ allErrors: true, strict: true, strictRequired: false });
  const validate = ajv.compile(schema);
  const cases = [
    [pairs.archive.base, pairs.archive.edits, []],
    [pairs.archive.base, pairs.archive.edits, ['--expand', '--ci']],
    [pairs.archive.base, pairs.archive.broken, []],
    [pairs.archive.copyOnly, pairs.archive.inserted, []],
    [pairs.archive.base, pairs.archive.base, []],
  ] as const;
  for (const [b, h, extra] of cases) {
    const out = join(work, 'v.json');
    const r = runCli(['diff', b, h, '--json', out, ...extra], { env: { CI: undefined } });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as unknown;
    assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
  }
  // the schema can fail: a changed path without kinds, a type change that also says modified
  const d = diffJson(pairs.archive.base, pairs.archive.edits) as unknown as { files: Array<Record<string, unknown>> };
  const broken = structuredClone(d);
  broken.files[0]!['kinds'] = [];
  assert.equal(validate(broken), false);
  const both = structuredClone(d);
  both.files[0]!['kinds'] = ['type', 'modified'];
  assert.equal(validate(both), false);
});

test('SARIF marks what HEAD introduced as new and what it kept as unchanged; JUnit and GitLab', (t) => {
  if (unavailable) return t.skip(unavailable);
  const dir = mkdtempSync(join(work, 'r-'));
  const r = runCli(['diff', pairs.archive.base, pairs.archive.edits, '--report', `sarif=${join(dir, 'd.sarif')}`, '--report', `junit=${join(dir, 'd.xml')}`, '--report', `gitlab=${join(dir, 'cq.json')}`, '--report', `markdown=${join(dir, 'pr.md')}`]);
  assert.equal(r.status, 0, r.stderr);
  const sarif = JSON.parse(readFileSync(join(dir, 'd.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; baselineState: string; partialFingerprints: Record<string, string> }> }> };
  const require = createRequire(import.meta.url);
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  const validate = ajv.compile(require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
  const states = sarif.runs[0]!.results.map((x) => `${x.ruleId} ${x.baselineState}`).sort();
  assert.ok(states.includes('setuid-setgid new'), states.join(', '));
  assert.ok(states.includes('root-user unchanged'), states.join(', '));
  for (const x of sarif.runs[0]!.results) assert.match(x.partialFingerprints['fathomFinding/v1']!, /^[0-9a-f]{32}$/);
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(readFileSync(join(dir, 'd.xml'), 'utf8'));
  assert.equal(xml.testsuites.testsuite['@tests'], '5');
  const cq = JSON.parse(readFileSync(join(dir, 'cq.json'), 'utf8')) as Array<{ check_name: string; fingerprint: string }>;
  assert.ok(cq.some((x) => x.check_name === 'setuid-setgid'));
  const md = readFileSync(join(dir, 'pr.md'), 'utf8');
  assert.match(md.split('\n')[0]!, /^### .* fathom diff: `localhost\/fathom-diff\/base:1` → `localhost\/fathom-diff\/edits:1`$/);
  assert.match(md, /\| ↓ \| `busybox` \| 1\.36\.1-r5 \| 1\.36\.0-r0 \|/);
});

test('a finding keeps its fingerprint when a layer is inserted below it', (t) => {
  if (unavailable) return t.skip(unavailable);
  // the same setuid file, at layer 2 in one diff and compared from an image with one more layer in the other
  const a = diffJson(pairs.archive.base, pairs.archive.edits);
  const b = diffJson(pairs.archive.copyOnly, pairs.archive.edits);
  const fp = (d: DiffJson) => d.findings.new.find((f) => f.ruleId === 'setuid-setgid')?.fingerprint;
  assert.ok(fp(a));
  assert.equal(fp(a), fp(b));
});
