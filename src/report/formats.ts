import { ConfigError } from '../errors.js';
import { ciText } from './ciText.js';
import { gitlabReport } from './gitlabReport.js';
import { htmlReport } from './html/htmlReport.js';
import { jsonReport } from './jsonReport.js';
import { junitReport } from './junitReport.js';
import { markdownReport } from './markdownReport.js';
import type { ReportContext } from './reportContext.js';
import { sarifReport } from './sarifReport.js';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown', 'gitlab', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(s: string): Format {
  if ((FORMATS as readonly string[]).includes(s)) return s as Format;
  throw new ConfigError(`unknown report format ${JSON.stringify(s)}; use one of ${FORMATS.join(', ')}`);
}

const json = (x: unknown) => JSON.stringify(x, null, 2) + '\n';

/** The one JSON document `--json FILE`, `--format json` and `--report json=FILE` all write: dive's, the gate, the base. */
export function fullJson(ctx: ReportContext) {
  return { ...jsonReport(ctx.image, ctx.analysis), gate: ctx.gate, ...(ctx.base ? { base: ctx.base } : {}) };
}

export function renderReport(format: Format, ctx: ReportContext): string {
  switch (format) {
    case 'text':
      return ciText(ctx, { color: false });
    case 'json':
      return json(fullJson(ctx));
    case 'sarif':
      return json(sarifReport(ctx));
    case 'junit':
      return junitReport(ctx);
    case 'markdown':
      return markdownReport(ctx);
    case 'gitlab':
      return json(gitlabReport(ctx));
    case 'html':
      return htmlReport(ctx);
  }
}
