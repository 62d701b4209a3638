// `fathom IMAGE --report markdown=FILE` stays under GitHub's 65,536-character comment limit as the diff's comment
// does: the verdict, the summary and the checks table stay; dive's folded list of inefficient files gives way, then
// the findings from the end; a note says what was cut and where everything is. The image is a real archive
// (tar-stream): 3,000 setuid files with long names written twice, so 3,000 findings and 3,000 inefficient files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dockerArchive, type TarItem } from '../helpers/buildArchive.js';
import { runCliAsync } from '../helpers/runCli.js';

const N = 3000;
const long = 'a-set-uid-program-with-a-name-long-enough-to-matter-'.repeat(2);
const names = Array.from({ length: N }, (_, i) => `opt/bin/${long}${String(i).padStart(4, '0')}`);

function layer(content: string): { items: TarItem[] } {
  return { items: [{ name: 'opt/', type: 'directory' }, { name: 'opt/bin/', type: 'directory' }, ...names.map((name) => ({ name, content, mode: 0o4755 }))] };
}

test('3,000 findings: the comment is cut under the limit from the end of the findings, and says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-md-cap-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
  writeFileSync(join(dir, 'x.tar'), await dockerArchive([{ tag: 'many/setuid:1', config: { User: '1000', Cmd: ['/bin/sh'] }, layers: [layer('one\n'), layer('two\n')] }]));
  const r = await runCliAsync(['x.tar', '--ci', '--report', 'markdown=pr.md', '--report', 'sarif=r.sarif'], { cwd: dir });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const md = readFileSync(join(dir, 'pr.md'), 'utf8');
  assert.ok(md.length <= 65536, `${md.length} characters`);
  assert.ok(md.length > 50000, `${md.length} characters: it uses the room it has`);
  const lines = md.split('\n');
  assert.match(lines[0]!, /^### .* fathom: `many\/setuid:1` (passed|failed)$/);
  assert.match(lines[2]!, /^\d+ failed checks? · \d+ warnings? · /);
  assert.match(md, /^\| ⚠️ \| \[`setuid-setgid`\]\(\S+\) \| 3000 findings \|$/m, 'the checks table stays');
  assert.match(md, /\*\*⚠️ \[setuid-setgid\]\(\S+\)\*\* — setuid\/setgid files \(3000 findings\)/, 'the heading counts them all');
  // the findings shown are the first ones, in the order every other report lists them
  const shown = [...md.matchAll(/^- `(\/opt\/bin\/[^`]+)`: /gm)].map((m) => m[1]!);
  assert.ok(shown.length > 100 && shown.length < N, `${shown.length} shown`);
  const sarif = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; message: { text: string } }> }> };
  const all = sarif.runs[0]!.results.filter((x) => x.ruleId === 'setuid-setgid').map((x) => x.message.text.split(' ')[0]!);
  assert.equal(all.length, N);
  assert.deepEqual(shown, all.slice(0, shown.length));
  // one finding comes first: entrypoint-runnable's (the image has no /bin/sh), shown, so N + 1 in all
  assert.match(md, /^- `config\.Cmd`: exec: "\/bin\/sh": /m);
  const note = new RegExp(`^_Cut to stay under GitHub's 65,536-character comment limit: the last ${N - shown.length} of ${N + 1} findings, ${N} of ${N} inefficient files not shown; the other reports list everything \\(\`--report json=FILE\`, \`sarif=\`, \`gitlab=\`, \`junit=\`\\)\\._$`, 'm');
  assert.match(md, note);
  assert.doesNotMatch(md, /Inefficient files \(dive's list\)/, 'the folded list went first');
  assert.equal((md.match(/<details>/g) ?? []).length, (md.match(/<\/details>/g) ?? []).length);
});

test('a comment that fits is whole and has no note', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-md-cap-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
  const few = { items: [{ name: 'opt/', type: 'directory' as const }, { name: 'opt/bin/', type: 'directory' as const }, ...names.slice(0, 20).map((name) => ({ name, content: 'x\n', mode: 0o4755 }))] };
  writeFileSync(join(dir, 'x.tar'), await dockerArchive([{ tag: 'few/setuid:1', config: { User: '1000', Cmd: ['/bin/sh'] }, layers: [few, few] }]));
  const r = await runCliAsync(['x.tar', '--ci', '--report', 'markdown=pr.md'], { cwd: dir });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const md = readFileSync(join(dir, 'pr.md'), 'utf8');
  assert.equal([...md.matchAll(/^- `\/opt\/bin\//gm)].length, 20);
  assert.match(md, /Inefficient files \(dive's list\)/);
  assert.doesNotMatch(md, /_Cut /);
});
