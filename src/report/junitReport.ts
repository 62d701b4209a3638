import { imageName, type ReportContext } from './reportContext.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** JUnit XML: one testcase per check; FAIL is a failure, SKIP is skipped, WARN passes with the warning in system-out. */
export function junitReport(ctx: ReportContext): string {
  const t = ctx.gate.tally;
  const suite = `fathom: ${imageName(ctx.image)}`;
  const cases = ctx.gate.checks.map((c) => {
    const where = c.locations.map((l) => l.path ?? l.configField).filter(Boolean).join(', ');
    const detail = esc(`${c.message}${where ? `\nat: ${where}` : ''}`);
    const open = `    <testcase classname="fathom.${esc(c.id.includes('-') ? 'rules' : 'thresholds')}" name="${esc(c.id)}" time="0">`;
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
