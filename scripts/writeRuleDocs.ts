// npm run docs:rules — writes docs/rules/ from the checks' meta (test/report/ruleDocs.test.ts keeps them equal).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ruleDocFiles } from '../src/report/ruleDocFiles.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'rules');
mkdirSync(dir, { recursive: true });
const files = ruleDocFiles();
for (const f of readdirSync(dir)) if (!files.has(f)) rmSync(join(dir, f));
for (const [name, text] of files) writeFileSync(join(dir, name), text);
process.stdout.write(`docs/rules: ${files.size} files\n`);
