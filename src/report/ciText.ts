import type { Check } from '../ci/check.js';
import { analysisLines, inefficientFilesLines } from './textReport.js';
import type { ReportContext } from './reportContext.js';

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

function statusWord(c: Check, color: boolean): string {
  if (c.status === 'FAIL') return paint(color, '1;7;31', 'FAIL');
  if (c.status === 'WARN') return paint(color, '34', 'WARN');
  if (c.status === 'PASS') return paint(color, '32', 'PASS');
  return 'SKIP';
}

/**
 * The gate's console output in dive's layout, so habits and log-greps keep working: the analysis lines, the
 * Inefficient Files table, `STATUS: rule: reason` per check, and the `Result:` line last.
 */
export function ciText(ctx: ReportContext, opts: { color: boolean }): string {
  const { analysis: a, gate } = ctx;
  const lines = [...analysisLines(a), ...inefficientFilesLines(a, 50), 'Results:'];
  for (const c of gate.checks) lines.push(`  ${statusWord(c, opts.color)}: ${c.id}${c.message ? `: ${c.message}` : ''}`);
  const t = gate.tally;
  const summary = `Result:${gate.status} [Total:${t.total}] [Passed:${t.pass}] [Failed:${t.fail}] [Warn:${t.warn}] [Skipped:${t.skip}]`;
  lines.push(paint(opts.color, gate.status === 'PASS' ? '32' : '31', summary));
  return lines.join('\n') + '\n';
}
