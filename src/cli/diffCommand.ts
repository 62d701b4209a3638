import { readFile } from 'node:fs/promises';
import type { DiffOverrides } from '../ci/diffGateConfig.js';
import { loadGateConfig } from '../ci/gateConfig.js';
import { diffGate } from '../diff/diffGate.js';
import { diffImages, type DiffResult } from '../diff/diffImages.js';
import { diffJson } from '../diff/report/diffJson.js';
import { headLines } from '../diff/report/diffLines.js';
import { diffPage } from '../diff/report/diffPage.js';
import { parseDiffFormat, renderDiffReport, type DiffFormat, type DiffReportContext } from '../diff/report/diffFormats.js';
import { diffText } from '../diff/report/diffText.js';
import { parseDockerfile, type DockerfileInfo } from '../dockerfile/parseDockerfile.js';
import { ConfigError } from '../errors.js';
import type { ReviewArchive } from '../review/loadForReview.js';
import { planReview } from '../review/review.js';
import { isRegistrySource, parseImageRef, type ImageSource } from '../source/openImageRef.js';
import { useColor } from './colors.js';
import { failOnFrom, gateExitCode, withIgnoredRules, type FailOn, type GateArgs } from './gateOptions.js';
import { dockerfileInWorkingDirectory, isCiEnv, openSource, parseReportRequests, writeReportFile, type AnalyzeArgs } from './analyzeCommand.js';
import { withBatchGc } from './batchGc.js';
import { hostPlatform } from './hostPlatform.js';
import { createProgress } from './progress.js';
import { prepareBrowser, type BrowserLaunch } from './browserLaunch.js';
import { settingsRequest } from './browserSettings.js';
import { fathomVersion } from './version.js';

export interface DiffArgs extends GateArgs {
  base?: string;
  head?: string;
  baseImage?: string;
  headImage?: string;
  platform?: string;
  basePlatform?: string;
  headPlatform?: string;
  source?: string;
  pull?: boolean;
  username?: string;
  passwordStdin?: boolean;
  insecure?: boolean;
  caFile?: string;
  json?: string;
  format?: string;
  output?: string;
  report?: string[];
  ci?: boolean;
  ciConfig?: string;
  expand?: boolean;
  dockerfile?: string;
  baseDockerfile?: string;
  maxSizeIncrease?: string;
  maxSizeIncreasePercent?: string;
  maxPullIncrease?: string;
  failOnNewFindings?: string;
  failOnStartRegression?: string;
  config?: string;
  diveUi?: boolean;
}

async function readDockerfile(path: string) {
  try {
    return parseDockerfile(await readFile(path, 'utf8'), path);
  } catch (err) {
    throw new ConfigError(`${path}: cannot read the Dockerfile (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Open one side and say which image of it to compare (`--base-image`, `oci:DIR:TAG`, the platform). */
async function openSide(ref: string, args: DiffArgs, image: string | undefined, platform: string | undefined): Promise<ReviewArchive> {
  const { source: kind, pull, username, passwordStdin, insecure, caFile } = args;
  const source = await openSource(ref, { source: kind, pull, username, passwordStdin, insecure, caFile } satisfies AnalyzeArgs);
  const parsed = ref === '-' ? undefined : parseImageRef(ref, args.source);
  const chosen = image ?? (parsed?.kind === 'oci-dir' ? parsed.tag : undefined);
  const p = platform ?? args.platform;
  return { source, select: { ...(chosen !== undefined ? { image: String(chosen) } : {}), ...(p ? { platform: p } : {}), defaultPlatform: hostPlatform() } };
}

function diffOverrides(args: DiffArgs): DiffOverrides {
  const o: DiffOverrides = {};
  for (const k of ['maxSizeIncrease', 'maxSizeIncreasePercent', 'maxPullIncrease', 'failOnNewFindings', 'failOnStartRegression'] as const) {
    if (args[k] !== undefined) o[k] = String(args[k]);
  }
  return o;
}

/** `fathom diff BASE HEAD`: parse, open both sides, run the diff pipeline, render; the exit code. */
export async function runDiff(args: DiffArgs): Promise<number> {
  if (!args.base || !args.head) throw new ConfigError('fathom diff needs two images: BASE and HEAD (see fathom diff --help)');
  if (args.base === '-' && args.head === '-') throw new ConfigError('only one of BASE and HEAD can be - (stdin)');
  const reports = parseReportRequests(args, parseDiffFormat);
  const stdoutFormat = args.format !== undefined && args.output === undefined ? parseDiffFormat(args.format) : undefined;
  const ci = args.ci === true || isCiEnv(process.env['CI']);
  const failOn = failOnFrom(args);
  const gateFile = await loadGateConfig({ cwd: process.cwd(), ...(args.ciConfig !== undefined ? { explicit: args.ciConfig } : {}), overrides: {}, diffOverrides: diffOverrides(args) });
  const plan = planReview({ gate: withIgnoredRules(gateFile, args.ignore), today: new Date().toISOString().slice(0, 10) });
  // as `fathom IMAGE`: without --dockerfile, a Dockerfile or Containerfile here is HEAD's (the pull request's checkout)
  const headPath = args.dockerfile ?? dockerfileInWorkingDirectory("HEAD's findings");
  const headDockerfile = headPath !== undefined ? await readDockerfile(headPath) : undefined;
  const baseDockerfile = args.baseDockerfile !== undefined ? await readDockerfile(args.baseDockerfile) : undefined;
  // nothing else asked for: the browser, prepared before the loads as for a single image (browserLaunch.ts)
  const wantsBrowser = !ci && stdoutFormat === undefined && reports.length === 0 && !args.json;
  const browser = wantsBrowser ? await prepareBrowser(args.base === '-' || args.head === '-', settingsRequest(args)) : undefined;
  const progressFor = (source: ImageSource) => createProgress(process.stderr, isRegistrySource(source) ? undefined : source.size);
  const result = await withBatchGc(async () =>
    diffImages(
      {
        base: await openSide(args.base!, args, args.baseImage, args.basePlatform),
        head: () => openSide(args.head!, args, args.headImage, args.headPlatform),
        progressFor: browser ? browser.progressFor(progressFor) : progressFor,
      },
      headDockerfile ? { ...plan, dockerfile: headDockerfile } : plan,
      { ...(baseDockerfile ? { baseDockerfile } : {}), ...(headDockerfile ? { headDockerfile } : {}), expand: args.expand === true },
    ),
  );
  return present(result, args, { ci, failOn, reports, stdoutFormat, gateConfig: gateFile, headDockerfile, browser });
}

async function present(
  result: DiffResult,
  args: DiffArgs,
  out: {
    ci: boolean;
    failOn: FailOn;
    reports: Array<{ format: DiffFormat; file: string }>;
    stdoutFormat: DiffFormat | undefined;
    gateConfig: Awaited<ReturnType<typeof loadGateConfig>>;
    headDockerfile: DockerfileInfo | undefined;
    /** Prepared before the loads when nothing else was asked for and there is a terminal. */
    browser: BrowserLaunch | undefined;
  },
): Promise<number> {
  const { diff } = result;
  const gate = diffGate(diff, out.gateConfig.diff);
  const version = fathomVersion();
  const expanded = args.expand === true;
  const ctx: DiffReportContext = {
    diff,
    gate,
    version,
    expanded,
    ...(out.headDockerfile ? { lines: headLines(result.head, out.headDockerfile) } : {}),
    html: () => diffPage(result, gate, version),
  };
  if (args.json) await writeReportFile(args.json, JSON.stringify(diffJson(diff, gate, { expanded, version }), null, 2) + '\n');
  for (const r of out.reports) await writeReportFile(r.file, renderDiffReport(r.format, ctx));
  const color = useColor(process.stdout, process.env);
  if (out.stdoutFormat !== undefined) {
    process.stdout.write(renderDiffReport(out.stdoutFormat, ctx));
  } else if (out.ci) {
    if (out.gateConfig.file) process.stderr.write(`fathom: using CI config ${out.gateConfig.file}\n`);
    process.stdout.write(diffText(diff, { maxPaths: expanded ? Infinity : 30, gate, color }));
  } else {
    if (out.browser) {
      const h = result.head;
      const against = { name: diff.base.name, files: result.base.image.files };
      await out.browser.open({ image: h.image, analysis: h.analysis, checks: h.gate.checks, baseLayers: h.base.count, against });
      return 0;
    }
    process.stdout.write(diffText(diff, { maxPaths: expanded ? Infinity : 30, color }));
  }
  return out.ci ? gateExitCode(gate, out.failOn) : 0;
}
