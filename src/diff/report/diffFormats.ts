import type { GateResult } from '../../ci/check.js';
import { ConfigError } from '../../errors.js';
import type { ImageDiff } from '../imageDiff.js';
import { diffGitlab } from './diffGitlab.js';
import { diffJson } from './diffJson.js';
import { diffJunit } from './diffJunit.js';
import type { HeadLines } from './diffLines.js';
import { diffMarkdown } from './diffMarkdown.js';
import { diffSarif } from './diffSarif.js';
import { diffText } from './diffText.js';

export const DIFF_FORMATS = ['text', 'json', 'markdown', 'sarif', 'junit', 'gitlab', 'html'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export function parseDiffFormat(s: string): DiffFormat {
  if ((DIFF_FORMATS as readonly string[]).includes(s)) return s as DiffFormat;
  throw new ConfigError(`unknown report format ${JSON.stringify(s)}; use one of ${DIFF_FORMATS.join(', ')}`);
}

export interface DiffReportContext {
  readonly diff: ImageDiff;
  readonly gate: GateResult;
  readonly version: string;
  readonly expanded: boolean;
  /** HEAD's Dockerfile (--dockerfile, or one in the working directory): its findings' lines. */
  readonly lines?: HeadLines;
  /** The HTML page, built by the caller (it needs both reviews). */
  readonly html?: () => string;
}

const json = (x: unknown) => JSON.stringify(x, null, 2) + '\n';

export function renderDiffReport(format: DiffFormat, ctx: DiffReportContext): string {
  switch (format) {
    case 'text':
      return diffText(ctx.diff, { maxPaths: ctx.expanded ? Infinity : 30, gate: ctx.gate, color: false });
    case 'json':
      return json(diffJson(ctx.diff, ctx.gate, { expanded: ctx.expanded, version: ctx.version }));
    case 'markdown':
      return diffMarkdown(ctx.diff, ctx.gate, ctx.lines);
    case 'sarif':
      return json(diffSarif(ctx.diff, ctx.gate, ctx.version, ctx.lines));
    case 'junit':
      return diffJunit(ctx.diff, ctx.gate);
    case 'gitlab':
      return json(diffGitlab(ctx.diff, ctx.gate, ctx.lines));
    case 'html':
      if (!ctx.html) throw new ConfigError('the HTML diff report is not available here');
      return ctx.html();
  }
}
