import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SHARED } from './shared.js';

/** dive 0.12 itself (../shared/reference): the oracle for dive's habits. Absent: the comparisons skip. */
export const DIVE = join(SHARED, 'reference', 'dive-0.12.0');
export const diveMissing = existsSync(DIVE) ? undefined : `no dive binary at ${DIVE}`;

/** `CI=true dive --source docker-archive ARCHIVE` in `cwd` (where it reads .dive-ci), colours stripped. */
export function diveCi(archive: string, cwd: string, extra: readonly string[] = []): { status: number | null; stdout: string } {
  const r = spawnSync(DIVE, ['--source', 'docker-archive', archive, ...extra], { cwd, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: cwd, CI: 'true' }, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, '') };
}

/** The `STATUS: id[: reason]` lines of a CI run, dive's or fathom's, for the three rules dive has. */
export function diveRuleLines(out: string): string[] {
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(PASS|FAIL|WARN|SKIP): (lowestEfficiency|highestWastedBytes|highestUserWastedPercent)\b/.test(l));
}
