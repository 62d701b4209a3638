import { createHash } from 'node:crypto';
import prettyBytes from 'pretty-bytes';
import type { ReportContext } from '../reportContext.js';
import { buildPageData } from './buildPageData.js';
import { pageAssets } from './pageAssets.js';
import type { PageData } from './pageData.js';

/** The id of the element holding the page's data; page/src/main.ts reads it. */
export const DATA_ELEMENT_ID = 'fathom-data';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/**
 * One self-contained HTML file: the data as JSON, the bundled script and style inline, and a Content-Security-Policy
 * that allows exactly those two and nothing from the network, so the page works from file:// and from an artifact
 * viewer and cannot fetch anything even if an archive's path names tried to inject markup.
 */
export function htmlReport(ctx: ReportContext): string {
  return renderHtml(buildPageData(ctx));
}

export function renderHtml(data: PageData): string {
  const { script, style } = pageAssets();
  // the JSON sits in a <script> element: no `<` may close it or open a comment, whatever the paths contain
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const csp = `default-src 'none'; script-src ${sha256(script)}; style-src ${sha256(style)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const name = escapeHtml(data.image.name);
  const i = data.image;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<meta name="generator" content="${escapeHtml(data.generator)}">`,
    `<title>fathom: ${name}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    `<noscript><p>fathom: ${name} ${data.verdict === 'PASS' ? 'passed' : 'failed'} · ${escapeHtml(prettyBytes(i.sizeBytes))} · efficiency ${(i.efficiency * 100).toFixed(2)} % · ${escapeHtml(prettyBytes(i.reclaimableBytes))} reclaimable. The treemap and the tables need JavaScript.</p></noscript>`,
    `<script type="application/json" id="${DATA_ELEMENT_ID}">${json}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
