import type { Check, GateResult } from '../ci/check.js';
import { imageName, type ReportContext } from './reportContext.js';

/**
 * Text as XML 1.0 allows it: the five markup characters escaped, and what XML forbids outright (control characters
 * other than tab and newlines, lone surrogates, U+FFFE and U+FFFF) dropped — a path from an image may hold any byte.
 */
export function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Every finding of a check, one per line with its location and fix (no list is cut short). */
function details(c: Check): string {
  const lines = [c.message];
  for (const l of c.locations) {
    if (l.message === undefined) continue;
    const where = l.path ?? l.configField;
    lines.push(`- ${l.message}${where && !l.message.includes(where) ? ` (at ${where})` : ''}${l.fix ? `. Fix: ${l.fix}` : ''}`);
  }
  return lines.join('\n');
}

/** JUnit XML: one testcase per check; FAIL is a failure, SKIP is skipped, WARN passes with the warning in system-out. */
export function junitReport(ctx: ReportContext): string {
  const image = imageName(ctx.image);
  return junitSuites(`fathom: ${image}`, ctx.gate, (c) => `${image}.${c.id.includes('-') ? 'rules' : 'thresholds'}`);
}

/**
 * One suite of testcases, one per check of a gate (`fathom diff` writes its gate the same way), valid against
 * Jenkins xunit's junit-10.xsd (which GitLab's and most other readers accept too): `skipped` is counted on the
 * suite, not on `<testsuites>`, which that schema does not allow.
 */
export function junitSuites(suite: string, gate: GateResult, classOf: (c: Check) => string): string {
  const t = gate.tally;
  const cases = gate.checks.map((c) => {
    const open = `    <testcase classname="${xmlText(classOf(c))}" name="${xmlText(c.id)}" time="0">`;
    if (c.status === 'FAIL') return `${open}\n      <failure message="${xmlText(c.message)}" type="${xmlText(c.id)}">${xmlText(details(c))}</failure>\n    </testcase>`;
    if (c.status === 'SKIP') return `${open}\n      <skipped message="${xmlText(c.message)}"/>\n    </testcase>`;
    if (c.status === 'WARN') return `${open}\n      <system-out>WARN: ${xmlText(details(c))}</system-out>\n    </testcase>`;
    if (c.locations.some((l) => l.message !== undefined)) return `${open}\n      <system-out>${xmlText(details(c))}</system-out>\n    </testcase>`;
    return `${open}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fathom" tests="${t.total}" failures="${t.fail}" errors="0">`,
    `  <testsuite name="${xmlText(suite)}" tests="${t.total}" failures="${t.fail}" skipped="${t.skip}" errors="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
