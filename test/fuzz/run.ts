/**
 * `npm run fuzz -- --cases N --seed S`: the fuzz campaign (campaign.ts), its tally, and a reproducer command for
 * each finding. `--case K` runs one case in this process and says what happened; with `--write FILE` it also writes
 * the case's archive, to look at with tar(1) or to give to `fathom FILE`.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCampaign } from './campaign.js';
import { caseArchive, runCase } from './fuzzCase.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = Number(option('seed') ?? 1);
const single = option('case');
if (single !== undefined) {
  const zstdPath = spawnSync('sh', ['-c', 'command -v zstd']).stdout.toString().trim();
  const spec = { seed, caseNo: Number(single), zstdPath, scratchFile: join(tmpdir(), `fathom-fuzz-case-${process.pid}.tar`) };
  const c = await caseArchive(spec);
  console.log(`case ${single} of seed ${seed}: seed archive ${c.seedName}, mutations ${c.applied.join(', ')}, ${c.archive.length} bytes, ${c.viaFile ? 'read from a file' : `in chunks of ${c.chunk}`}`);
  const out = option('write');
  if (out) {
    writeFileSync(out, c.archive);
    console.log(`wrote ${out}`);
  }
  const outcome = await runCase(spec);
  console.log(outcome.kind === 'ok' ? 'ok' : `${outcome.kind}: ${outcome.message}`);
  process.exitCode = outcome.kind === 'finding' ? 1 : 0;
} else {
  const cases = Number(option('cases') ?? 1000);
  const started = Date.now();
  const r = await runCampaign({
    seed,
    cases,
    from: Number(option('from') ?? 0),
    ...(option('timeout-ms') ? { caseTimeoutMs: Number(option('timeout-ms')) } : {}),
    onProgress: (n) => {
      if (n % 500 === 0) process.stderr.write(`  ${n}/${cases} cases, ${r0()} s\n`);
    },
  });
  function r0() {
    return ((Date.now() - started) / 1000).toFixed(0);
  }
  console.log(`fuzz: seed ${seed}, ${cases} cases in ${r0()} s: ${r.ok} read fine, ${r.inputErrors} refused with fathom's own error, ${r.findings.length} findings`);
  const kinds = [...r.errorKinds].sort((a, b) => b[1] - a[1]).slice(0, 15);
  for (const [k, n] of kinds) console.log(`  ${String(n).padStart(6)}  ${k}`);
  for (const f of r.findings) {
    const what = f.what.split('\n').slice(0, 6).map((l) => (l.length > 300 ? l.slice(0, 300) + '…' : l));
    console.log(`FINDING case ${f.caseNo}: ${what.join('\n    ')}\n  reproduce: ${f.reproduce}`);
  }
  process.exitCode = r.findings.length > 0 ? 1 : 0;
}
