import type { Check, GateResult } from '../ci/check.js';
import { imageName, type ReportContext } from './reportContext.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** JUnit XML: one testcase per check; FAIL is a failure, SKIP is skipped, WARN passes with the warning in system-out. */
export function junitReport(ctx: ReportContext): string {
  return junitSuites(`fathom: ${imageName(ctx.image)}`, ctx.gate, (c) => (c.id.includes('-') ? 'rules' : 'thresholds'));
}

/** One suite of testcases, one per check of a gate (`fathom diff` writes its gate the same way). */
export function junitSuites(suite: string, gate: GateResult, classOf: (c: Check) => string, maxLocations = Infinity): string {
  const t = gate.tally;
  const cases = gate.checks.map((c) => {
    const where = c.locations.map((l) => l.path ?? l.configField).filter(Boolean).slice(0, maxLocations).join(', ');
    const detail = esc(`${c.message}${where ? `\nat: ${where}` : ''}`);
    const open = `    <testcase classname="fathom.${esc(classOf(c))}" name="${esc(c.id)}" time="0">`;
    if (c.status === 'FAIL') return `${open}\n      <failure message="${esc(c.message)}" type="${esc(c.id)}">${detail}</failure>\n    </testcase>`;
    if (c.status === 'SKIP') return `${open}\n      <skipped message="${esc(c.message)}"/>\n    </testcase>`;
    if (c.status === 'WARN') return `${open}\n      <system-out>WARN: ${detail}</system-out>\n    </testcase>`;
    return `${open}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fathom" tests="${t.total}" failures="${t.fail}" skipped="${t.skip}" errors="0">`,
    `  <testsuite name="${esc(suite)}" tests="${t.total}" failures="${t.fail}" skipped="${t.skip}" errors="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
