import { styleText } from 'node:util';
import type { Check, GateResult } from '../ci/check.js';
import { analysisLines, inefficientFilesLines } from './textReport.js';
import type { ReportContext } from './reportContext.js';

type Style = Parameters<typeof styleText>[0];
/** Node's own styling; whether to colour at all is the caller's decision (a terminal, FORCE_COLOR, NO_COLOR). */
const paint = (on: boolean, style: Style, s: string) => (on ? styleText(style, s, { validateStream: false }) : s);

/** dive's colours: FAIL bold reversed red, WARN and SKIP blue, PASS green. */
function statusWord(c: Check, color: boolean): string {
  if (c.status === 'FAIL') return paint(color, ['bold', 'inverse', 'red'], 'FAIL');
  if (c.status === 'WARN') return paint(color, 'blue', 'WARN');
  if (c.status === 'PASS') return paint(color, 'green', 'PASS');
  return paint(color, 'blue', 'SKIP');
}

/**
 * The gate's console output in dive's layout, so habits and log-greps keep working: the analysis lines, the
 * Inefficient Files table, `STATUS: rule: reason` per check, and the `Result:` line last.
 */
export function ciText(ctx: ReportContext, opts: { color: boolean }): string {
  const { analysis: a, gate } = ctx;
  // dive's CI output lists every inefficient file: so does this one (only the plain text report folds it)
  return [...analysisLines(a), ...inefficientFilesLines(a), ...resultLines(gate, opts.color)].join('\n') + '\n';
}

/** `Results:`, one `STATUS: id: reason` line per check, and dive's `Result:` line: what CI logs are grepped for. */
export function resultLines(gate: GateResult, color: boolean): string[] {
  const lines = ['Results:'];
  for (const c of gate.checks) lines.push(`  ${statusWord(c, color)}: ${c.id}${c.message ? `: ${consoleMessage(c)}` : ''}`);
  const t = gate.tally;
  const summary = `Result:${gate.status} [Total:${t.total}] [Passed:${t.pass}] [Failed:${t.fail}] [Warn:${t.warn}] [Skipped:${t.skip}]`;
  lines.push(paint(color, gate.status === 'PASS' ? 'green' : 'red', summary));
  return lines;
}

/** The console folds a check's findings to its first; it says where the whole list is (every report file). */
const SEE_ALL = 'every --report file (json, sarif, markdown, junit, gitlab) lists them all';

function consoleMessage(c: Check): string {
  const first = c.locations[0]?.message;
  if (c.locations.length < 2 || first === undefined) return c.message;
  const more = `(+${c.locations.length - 1} more; ${SEE_ALL})`;
  return c.message.includes(first) ? `${c.message} ${more}` : `${c.message}: ${first} ${more}`;
}

/** The checks under the plain text report (no gate verdict: that is CI mode's). */
export function checksText(ctx: ReportContext): string {
  const lines = ['', 'Checks:'];
  for (const c of ctx.gate.checks) {
    lines.push(`  ${c.status}: ${c.id}: ${c.message}`);
    const listed = c.locations.length > 1 || c.locations[0]?.message !== c.message;
    if (listed) for (const l of c.locations.slice(0, 6)) if (l.message !== undefined) lines.push(`        ${l.message}`);
    if (c.locations.length > 6) lines.push(`        … ${c.locations.length - 6} more: ${SEE_ALL}`);
  }
  if (ctx.base) lines.push('', `Base image: layers 0..${ctx.base.count - 1} (${ctx.base.detail})`);
  return lines.join('\n') + '\n';
}
