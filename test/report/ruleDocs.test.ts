import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FATHOM_REPOSITORY, ruleDocUrl } from '../../src/report/projectLinks.js';
import { ruleDocFiles } from '../../src/report/ruleDocFiles.js';
import { RULES } from '../../rules/index.js';
import { ROOT, runCli } from '../helpers/runCli.js';

test('docs/rules/ is what the checks\' meta generates (run npm run docs:rules after changing a rule\'s meta)', () => {
  const dir = join(ROOT, 'docs', 'rules');
  const want = ruleDocFiles();
  assert.deepEqual(readdirSync(dir).sort(), [...want.keys()].sort());
  for (const [name, text] of want) assert.equal(readFileSync(join(dir, name), 'utf8'), text, `docs/rules/${name} is out of date`);
  for (const r of RULES) assert.ok(want.has(`${r.meta.id}.md`), r.meta.id);
});

test("the links point at this repository's pages, from package.json's homepage alone: fathom rules ID", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string }; homepage: string };
  assert.equal(pkg.repository.url, `git+${FATHOM_REPOSITORY}.git`);
  assert.equal(pkg.homepage, FATHOM_REPOSITORY);
  // package.json is the one place the address is written: the code takes it from there at build time
  for (const file of ['src/report/projectLinks.ts', 'src/report/sarifReport.ts', 'src/report/markdownReport.ts', 'src/cli/rulesCommand.ts']) {
    assert.doesNotMatch(readFileSync(join(ROOT, file), 'utf8'), /https?:\/\/github\.com\//, `${file} writes an address of its own`);
  }
  const one = runCli(['rules', 'setuid-setgid']);
  assert.equal(one.status, 0);
  assert.ok(one.stdout.includes(ruleDocUrl('setuid-setgid')), one.stdout);
});
