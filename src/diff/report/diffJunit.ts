import type { GateResult } from '../../ci/check.js';
import type { ImageDiff } from '../imageDiff.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** JUnit XML: one testcase per check of the diff's gate (FAIL a failure, SKIP skipped, WARN in system-out). */
export function diffJunit(diff: ImageDiff, gate: GateResult): string {
  const t = gate.tally;
  const suite = `fathom diff: ${diff.base.name} -> ${diff.head.name}`;
  const cases = gate.checks.map((c) => {
    const where = c.locations.map((l) => l.path ?? l.configField).filter(Boolean).slice(0, 20).join(', ');
    const detail = esc(`${c.message}${where ? `\nat: ${where}` : ''}`);
    const open = `    <testcase classname="fathom.diff" name="${esc(c.id)}" time="0">`;
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
