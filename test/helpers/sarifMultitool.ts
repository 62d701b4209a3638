import { accessSync, chmodSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface MultitoolIssue {
  readonly file: string;
  readonly ruleId: string;
  readonly level: string;
  readonly text: string;
}

/**
 * Microsoft's SARIF multitool (the npm devDependency's self-contained binary), run directly: its npm wrapper
 * passes the arguments through a shell, which would split `Sarif;Gh`. Returns what it reported at error and
 * warning level with the SARIF rules and GitHub's ingestion rules (GHnnnn) on.
 */
export function multitoolValidate(files: readonly string[], outDir: string): MultitoolIssue[] {
  const require = createRequire(import.meta.url);
  const bin = require('@microsoft/sarif-multitool') as string;
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    chmodSync(bin, 0o755); // the package's postinstall does this; npm may skip install scripts
  }
  const out = join(outDir, 'multitool.sarif');
  const r = spawnSync(bin, ['validate', ...files, '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning', '-o', out, '--log', 'ForceOverwrite'], { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  if (r.status !== 0) throw new Error(`the SARIF multitool failed (${r.status}): ${r.stdout}${r.stderr}`);
  const log = JSON.parse(readFileSync(out, 'utf8')) as {
    runs: Array<{ results?: Array<{ ruleId: string; level?: string; message: { text?: string; arguments?: string[] }; locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string } } }> }> }>;
  };
  return log.runs.flatMap((run) =>
    (run.results ?? []).map((x) => ({
      file: x.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '',
      ruleId: x.ruleId,
      level: x.level ?? 'warning',
      text: x.message.text ?? (x.message.arguments ?? []).join(' '),
    })),
  );
}
