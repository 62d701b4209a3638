// The reports CI systems ingest, checked by the systems' own validators on every distinct image of ../shared:
// SARIF by Microsoft's multitool with GitHub's ingestion rules, and what code scanning and GitLab need of each
// finding (one result per finding, stable unique fingerprints, a category per image).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { XMLParser } from 'fast-xml-parser';
import { dockerArchive } from '../helpers/buildArchive.js';
import { ROOT, runCliAsync } from '../helpers/runCli.js';
import { multitoolValidate } from '../helpers/sarifMultitool.js';
import { IMAGES, sharedAvailable } from '../helpers/shared.js';

const unavailable = sharedAvailable() ? undefined : 'no ../shared/images';
const work = mkdtempSync(join(tmpdir(), 'fathom-cireports-'));
writeFileSync(join(work, 'package.json'), '{"name":"x"}'); // the config search stops here: dive's defaults

/** Every distinct image: each corpus image once (its layouts hold the same files), corpus-rules, dive's fixtures. */
function distinctImages(): string[] {
  if (unavailable) return [];
  const dir = (d: string) => readdirSync(join(IMAGES, d)).filter((f) => f.endsWith('.tar')).sort().map((f) => join(IMAGES, d, f));
  return [...dir('corpus/docker-archive'), ...dir('corpus-rules/docker-engine'), ...dir('dive-fixtures')];
}

interface Run {
  readonly archive: string;
  readonly dir: string;
  readonly status: number | null;
  readonly stderr: string;
}

const runs: Promise<Run[]> = (async () => {
  const archives = distinctImages();
  const out: Run[] = [];
  // two at a time: the machine has two cores
  for (let i = 0; i < archives.length; i += 2) {
    out.push(
      ...(await Promise.all(
        archives.slice(i, i + 2).map(async (archive) => {
          const dir = join(work, `${basename(archive, '.tar')}-${basename(join(archive, '..'))}`);
          mkdirSync(dir);
          const r = await runCliAsync([archive, '--ci', '--report', 'sarif=r.sarif', '--report', 'gitlab=cq.json', '--report', 'junit=r.xml', '--report', 'markdown=pr.md', '--report', 'json=r.json'], { cwd: dir });
          return { archive, dir, status: r.status, stderr: r.stderr };
        }),
      )),
    );
  }
  return out;
})();

const named = async (name: string) => (await runs).find((r) => r.dir.includes(`/${name}-`))!;

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }>;
  partialFingerprints: Record<string, string>;
}
interface SarifLog {
  runs: Array<{
    automationDetails: { id: string };
    tool: { driver: { informationUri: string; rules: Array<{ id: string; fullDescription?: { text: string }; help?: { text: string; markdown: string }; helpUri?: string; properties: { tags: string[]; 'security-severity'?: string; precision?: string } }> } };
    results: SarifResult[];
  }>;
}
const sarifOf = (r: Run) => JSON.parse(readFileSync(join(r.dir, 'r.sarif'), 'utf8')) as SarifLog;

test('every report was written for every distinct shared image', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const all = await runs;
  assert.ok(all.length >= 20, `${all.length} images`);
  for (const r of all) {
    assert.ok(r.status === 0 || r.status === 1, `${r.archive}: exit ${r.status}: ${r.stderr}`);
    for (const f of ['r.sarif', 'cq.json', 'r.xml', 'pr.md', 'r.json']) assert.ok(existsSync(join(r.dir, f)), `${r.archive}: ${f}`);
  }
});

test("the SARIF multitool with GitHub's rules: no error and no warning on any image", async (t) => {
  if (unavailable) return t.skip(unavailable);
  const all = await runs;
  const issues = multitoolValidate(all.map((r) => join(r.dir, 'r.sarif')), work);
  assert.deepEqual(issues.map((i) => `${i.file}: ${i.level} ${i.ruleId}: ${i.text.slice(0, 200)}`), []);
});

test('the multitool is a real oracle: a rule without fullDescription is GH2012, a result without region SARIF2017', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const log = sarifOf(await named('setuid-tiny'));
  delete log.runs[0]!.tool.driver.rules[0]!.fullDescription;
  delete log.runs[0]!.results[0]!.locations[0]!.physicalLocation.region;
  const dir = mkdtempSync(join(work, 'broken-'));
  writeFileSync(join(dir, 'broken.sarif'), JSON.stringify(log, null, 2));
  const ids = multitoolValidate([join(dir, 'broken.sarif')], dir).map((i) => `${i.level} ${i.ruleId}`);
  assert.ok(ids.includes('error GH2012'), ids.join(', '));
  assert.ok(ids.includes('warning SARIF2017'), ids.join(', '));
});

test('setuid-tiny: one SARIF result per set-id file, each with its own message (EXPECTED.md: su-copy and sg-copy)', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const run = sarifOf(await named('setuid-tiny')).runs[0]!;
  const setid = run.results.filter((x) => x.ruleId === 'setuid-setgid');
  assert.deepEqual(setid.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri).sort(), ['usr/local/bin/sg-copy', 'usr/local/bin/su-copy']);
  assert.match(setid.find((x) => x.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('su-copy'))!.message.text, /^\/usr\/local\/bin\/su-copy is setuid /);
  assert.match(setid.find((x) => x.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('sg-copy'))!.message.text, /^\/usr\/local\/bin\/sg-copy is setgid /);
  for (const x of run.results) assert.doesNotMatch(x.message.text, /\(\+\d+ more\)/);
  // USER unset: root-user, pointing at the config's User field
  assert.equal(run.results.filter((x) => x.ruleId === 'root-user').length, 1);
});

test("SARIF rules carry what GitHub shows: help, helpUri, tags, precision, security-severity; fathom's informationUri", async (t) => {
  if (unavailable) return t.skip(unavailable);
  const driver = sarifOf(await named('setuid-tiny')).runs[0]!.tool.driver;
  assert.doesNotMatch(driver.informationUri, /dive/);
  for (const r of driver.rules) {
    assert.ok(r.fullDescription?.text && r.help?.text && r.help.markdown, r.id);
    assert.match(r.helpUri!, new RegExp(`/docs/rules/${r.id}\\.md$`));
    assert.ok(r.properties.tags.length > 0 && r.properties.precision, r.id);
  }
  const sev = (id: string) => driver.rules.find((r) => r.id === id)!.properties['security-severity'];
  for (const id of ['setuid-setgid', 'secret-files', 'empty-password', 'root-user', 'world-writable']) {
    assert.match(sev(id) ?? '', /^\d+\.\d$/, id);
    assert.ok(driver.rules.find((r) => r.id === id)!.properties.tags.includes('security'), id);
  }
  assert.equal(sev('duplicate-files'), undefined);
});

test('fingerprints: unique within each SARIF and GitLab file, different between images, equal in both formats', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const all = await runs;
  const categories = new Set<string>();
  const everyFingerprint = new Map<string, string>();
  for (const r of all) {
    const run = sarifOf(r).runs[0]!;
    categories.add(run.automationDetails.id);
    const fps = run.results.map((x) => x.partialFingerprints['fathomFinding/v1']!);
    assert.equal(new Set(fps).size, fps.length, `${r.archive}: SARIF fingerprints unique`);
    const cq = JSON.parse(readFileSync(join(r.dir, 'cq.json'), 'utf8')) as Array<{ fingerprint: string; description: string }>;
    assert.equal(new Set(cq.map((x) => x.fingerprint)).size, cq.length, `${r.archive}: GitLab fingerprints unique`);
    assert.deepEqual(cq.map((x) => x.fingerprint).sort(), [...fps].sort(), `${r.archive}: one GitLab entry per SARIF result`);
    for (const x of cq) assert.doesNotMatch(x.description, /\(\+\d+ more\)/);
    for (const fp of fps) {
      assert.ok(!everyFingerprint.has(fp) || everyFingerprint.get(fp) === run.automationDetails.id, `${fp} in two images`);
      everyFingerprint.set(fp, run.automationDetails.id);
    }
  }
  // the same repository in two layouts would share a category; every distinct image here has a name of its own
  assert.ok(categories.size >= all.length - 5, `${categories.size} categories for ${all.length} images`);
  const rootA = JSON.parse(readFileSync(join((await named('setuid-tiny')).dir, 'cq.json'), 'utf8')) as Array<{ check_name: string; fingerprint: string }>;
  const rootB = JSON.parse(readFileSync(join((await named('root-numeric')).dir, 'cq.json'), 'utf8')) as Array<{ check_name: string; fingerprint: string }>;
  const fa = rootA.find((x) => x.check_name === 'root-user')!.fingerprint;
  const fb = rootB.find((x) => x.check_name === 'root-user')!.fingerprint;
  assert.notEqual(fa, fb, 'root-user in two images: two fingerprints');
});

const XSD = join(ROOT, 'test', 'helpers', 'schemas', 'junit-10.xsd');
function xmllint(files: readonly string[]) {
  return spawnSync('xmllint', ['--noout', '--schema', XSD, ...files], { encoding: 'utf8' });
}

test("JUnit: xmllint accepts every image's report against Jenkins xunit's junit-10.xsd", async (t) => {
  if (unavailable) return t.skip(unavailable);
  const all = await runs;
  const r = xmllint(all.map((x) => join(x.dir, 'r.xml')));
  assert.equal(r.status, 0, r.stderr);
  // and the schema is a real oracle: the skipped attribute on <testsuites> fathom used to write is refused
  const bad = join(work, 'bad.xml');
  writeFileSync(bad, readFileSync(join(all[0]!.dir, 'r.xml'), 'utf8').replace('<testsuites name="fathom"', '<testsuites name="fathom" skipped="0"'));
  assert.notEqual(xmllint([bad]).status, 0);
});

test('JUnit: the classname names the image; a failure or warning lists every finding with its fix', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const xml = readFileSync(join((await named('setuid-tiny')).dir, 'r.xml'), 'utf8');
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml);
  const cases = doc.testsuites.testsuite.testcase as Array<Record<string, string>>;
  for (const c of cases) assert.match(c['@classname']!, /^localhost\/extra\/setuid-tiny:latest\.(rules|thresholds)$/);
  const setid = cases.find((c) => c['@name'] === 'setuid-setgid')!;
  assert.match(setid['system-out']!, /- \/usr\/local\/bin\/sg-copy is setgid .*Fix: chmod g-s/);
  assert.match(setid['system-out']!, /- \/usr\/local\/bin\/su-copy is setuid .*Fix: chmod u-s/);
});

test('JUnit: characters XML forbids in a path from the image never reach the file', async () => {
  const dir = mkdtempSync(join(work, 'xmlchars-'));
  const name = 'usr/bin/bad\u0001\u001b\ufffe\uffffname';
  const archive = await dockerArchive([{ tag: 'xmlchars:1', config: { User: '1000', Cmd: ['/usr/bin/x'] }, layers: [{ items: [{ name: 'usr/' }, { name: 'usr/bin/', type: 'directory' }, { name, content: '#!x', mode: 0o4755 }] }] }]);
  writeFileSync(join(dir, 'x.tar'), archive);
  writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
  const r = await runCliAsync(['x.tar', '--ci', '--report', 'junit=r.xml'], { cwd: dir });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const xml = readFileSync(join(dir, 'r.xml'), 'utf8');
  assert.match(xml, /usr\/bin\/badname is setuid/, 'the finding is there, without the forbidden characters');
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
  assert.equal(xmllint([join(dir, 'r.xml')]).status, 0);
});

test('markdown: verdict and one summary line first, only failing and warning checks in the table, findings by rule with docs links', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const md = readFileSync(join((await named('setuid-tiny')).dir, 'pr.md'), 'utf8');
  const lines = md.split('\n');
  assert.equal(lines[0], '### ✅ fathom: `localhost/extra/setuid-tiny:latest` passed');
  assert.match(lines[2]!, /^0 failed checks · 2 warnings · \d+ passed · \d+ skipped — /);
  const table = lines.slice(lines.indexOf('| | check | result |') + 2, lines.indexOf('', lines.indexOf('| | check | result |')));
  assert.deepEqual(table.map((l) => /\[`([^`]+)`\]/.exec(l)![1]).sort(), ['root-user', 'setuid-setgid'], 'the table above the fold: warnings only');
  assert.match(md, /<details><summary>\d+ passed checks, \d+ skipped<\/summary>/);
  assert.match(md, /\*\*⚠️ \[setuid-setgid\]\(https:\/\/\S+\/docs\/rules\/setuid-setgid\.md\)\*\* — setuid\/setgid files \(2 findings\)/);
  assert.match(md, /^- `\/usr\/local\/bin\/su-copy`: \/usr\/local\/bin\/su-copy is setuid /m);
  assert.match(md, /^- `\/usr\/local\/bin\/sg-copy`: \/usr\/local\/bin\/sg-copy is setgid /m);
  assert.doesNotMatch(md, /%-user-wasted-bytes=|\(\+\d+ more\)/);
  assert.match(md, /wasted bytes are 0\.00 % of the user layers' bytes, within the maximum 10\.00 %/);
});

test('markdown: "1 warning", and a failed threshold in words (dive fixture: 48.35 % > 10 %)', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const md = readFileSync(join((await named('test-docker-image')).dir, 'pr.md'), 'utf8');
  assert.match(md.split('\n')[2]!, /^1 failed check · 2 warnings · /);
  assert.match(md, /\| ❌ \| \[`highestUserWastedPercent`\]\(\S+\) \| wasted bytes are 48\.35 % of the user layers' bytes, above the maximum 10\.00 % \|/);
  const root = readFileSync(join((await named('root-numeric')).dir, 'pr.md'), 'utf8');
  assert.match(root.split('\n')[2]!, /· 1 warning · /);
});
