import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { loadGateConfig, type ThresholdOverrides } from '../ci/gateConfig.js';
import { layerInstructions } from '../dockerfile/layerLines.js';
import { parseDockerfile } from '../dockerfile/parseDockerfile.js';
import { ConfigError, InputError } from '../errors.js';
import { checksText, ciText } from '../report/ciText.js';
import { parseFormat, renderReport, type Format } from '../report/formats.js';
import type { ReportContext } from '../report/reportContext.js';
import { textReport } from '../report/textReport.js';
import type { ReviewArchive } from '../review/loadForReview.js';
import { planReview, review, type Review, type ReviewPlan } from '../review/review.js';
import { loadImages, reviewImage, type LoadedImages } from '../review/reviewImage.js';
import { streamSource } from '../source/openArchive.js';
import { isRegistrySource, openImageRef, parseImageRef, type ImageSource, type RegistryAccess } from '../source/openImageRef.js';
import { beginImageLoad, leaveBatchGc } from './batchGc.js';
import { hostPlatform } from './hostPlatform.js';
import { prepareBrowser, type BrowserLaunch } from './browserLaunch.js';
import { settingsRequest } from './browserSettings.js';
import { createProgress } from './progress.js';
import { useColor } from './colors.js';
import { failOnFrom, gateExitCode, withIgnoredRules, type FailOn, type GateArgs } from './gateOptions.js';
import { fathomVersion } from './version.js';

export interface AnalyzeArgs extends GateArgs {
  ref?: string;
  json?: string;
  platform?: string;
  image?: string;
  ci?: boolean;
  ciConfig?: string;
  lowestEfficiency?: string;
  highestWastedBytes?: string;
  highestUserWastedPercent?: string;
  format?: string;
  output?: string;
  report?: string[];
  dockerfile?: string;
  base?: string;
  onlyUserLayers?: boolean;
  source?: string;
  pull?: boolean;
  username?: string;
  passwordStdin?: boolean;
  insecure?: boolean;
  caFile?: string;
  /** dive's config file for the browser (`--config`). */
  config?: string;
  diveUi?: boolean;
}

/** --password-stdin: the whole of stdin, without its final newline (as `docker login --password-stdin`). */
async function readPassword(args: AnalyzeArgs): Promise<string | undefined> {
  if (!args.passwordStdin) return undefined;
  if (args.username === undefined) throw new ConfigError('--password-stdin needs --username');
  if (args.ref === '-' || args.base === '-') throw new ConfigError('--password-stdin: stdin cannot carry both the password and the archive');
  if (process.stdin.isTTY) throw new ConfigError('--password-stdin: stdin is a terminal; pipe the password in (echo "$TOKEN" | fathom …)');
  let text = '';
  for await (const c of process.stdin) text += (c as Buffer).toString('utf8');
  return text.replace(/\r?\n$/, '');
}

let registryAccess: Promise<RegistryAccess> | undefined;

/** What registries need from the command line; stdin is read once, for the image and --base alike. */
function registryOptions(args: AnalyzeArgs): Promise<RegistryAccess> {
  registryAccess ??= readPassword(args).then((password) => ({
    ...(args.username !== undefined ? { username: args.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(args.insecure ? { insecure: true } : {}),
    ...(args.caFile !== undefined ? { caFile: args.caFile } : {}),
  }));
  return registryAccess;
}

export async function openSource(ref: string, args: AnalyzeArgs): Promise<ImageSource> {
  if (ref === '-') {
    if (process.stdin.isTTY) throw new InputError('stdin: is a terminal; pipe an archive in (docker save IMAGE | fathom -)');
    return streamSource('stdin', process.stdin);
  }
  return openImageRef(parseImageRef(ref, args.source), {
    pull: args.pull === true,
    env: process.env,
    registry: await registryOptions(args),
    note: (line) => {
      if (process.stderr.isTTY) process.stderr.write(`fathom: ${line}\n`);
    },
  });
}

/** Write a report file whole, replacing what was there (never a longer old tail). */
export async function writeReportFile(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, { flag: 'w' });
  } catch (err) {
    throw new ConfigError(`${path}: cannot write the report (${(err as Error).message})`);
  }
}

/** Open IMAGE (or --base) and say which image of it to review. */
async function openForReview(ref: string, args: AnalyzeArgs, selectImage: boolean): Promise<ReviewArchive> {
  const source = await openSource(ref, args);
  const parsed = ref === '-' ? undefined : parseImageRef(ref, args.source);
  const image = parsed?.kind === 'oci-dir' && parsed.tag && args.image === undefined ? parsed.tag : selectImage ? args.image : undefined;
  return {
    source,
    select: {
      ...(image !== undefined ? { image: String(image) } : {}),
      ...(args.platform ? { platform: args.platform } : {}),
      defaultPlatform: hostPlatform(),
    },
  };
}

async function readDockerfile(path: string) {
  try {
    return parseDockerfile(await readFile(path, 'utf8'), path);
  } catch (err) {
    throw new ConfigError(`${path}: cannot read the Dockerfile (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Everything but the image, read and checked before the (possibly long) load. */
async function planFor(args: AnalyzeArgs): Promise<ReviewPlan> {
  const file = await loadGateConfig({ cwd: process.cwd(), ...(args.ciConfig !== undefined ? { explicit: args.ciConfig } : {}), overrides: thresholdOverrides(args) });
  const gate = withIgnoredRules(file, args.ignore);
  const plan = planReview({ gate, today: new Date().toISOString().slice(0, 10), onlyUserLayers: args.onlyUserLayers === true });
  const dockerfile = args.dockerfile ?? dockerfileInWorkingDirectory();
  return dockerfile !== undefined ? { ...plan, dockerfile: await readDockerfile(dockerfile) } : plan;
}

/** Without --dockerfile, a Dockerfile or Containerfile in the working directory gives the findings their lines. */
export function dockerfileInWorkingDirectory(whose = 'the findings'): string | undefined {
  const found = ['Dockerfile', 'Containerfile'].find((f) => existsSync(f));
  if (found) process.stderr.write(`fathom: using ./${found} for ${whose}' lines (--dockerfile FILE names another)\n`);
  return found;
}

export async function runAnalyze(args: AnalyzeArgs): Promise<number> {
  beginImageLoad();
  let left = false;
  const leave = async () => {
    if (left) return;
    left = true;
    await leaveBatchGc();
  };
  try {
    const prepared = await reviewForOutput(args);
    // the browser gets incremental marking back; a report is still batch work (the bench archive's CI text is
    // 60,000 lines), and with marking on a mark-compact started in it, just before the process exits
    if ('loaded' in prepared || prepared.output.browser) await leave();
    if ('loaded' in prepared) return await openBrowser(prepared.loaded, prepared.plan, prepared.browser);
    return await present(prepared.result, prepared.output, args, prepared.plan, prepared.browser);
  } finally {
    await leave();
  }
}

/**
 * The browser on the loaded image, its review run once the first frame is on screen: the review takes longer than
 * the tree and the frame together, and the screen would stay blank meanwhile.
 */
async function openBrowser({ image, baseImage }: LoadedImages, plan: ReviewPlan, browser: BrowserLaunch): Promise<number> {
  const instructions = plan.dockerfile ? { instructions: layerInstructions(image, plan.dockerfile) } : {};
  await browser.open({ image, ...instructions }, () => {
    const r = review(image, plan, baseImage);
    return { analysis: r.analysis, checks: r.gate.checks, baseLayers: r.base.count };
  });
  return 0;
}

/** The review for a report; for the browser, the loaded image alone (it is reviewed once the browser is up). */
type Prepared =
  | { readonly loaded: LoadedImages; readonly output: Output; readonly plan: ReviewPlan; readonly browser: BrowserLaunch }
  | { readonly result: Review; readonly output: Output; readonly plan: ReviewPlan; readonly browser: BrowserLaunch | undefined };

async function reviewForOutput(args: AnalyzeArgs): Promise<Prepared> {
  const output = outputFor(args);
  const plan = await planFor(args);
  const browser = output.browser ? await prepareBrowser(args.ref === '-', settingsRequest(args)) : undefined;
  const progressFor = (source: ImageSource) => createProgress(process.stderr, isRegistrySource(source) ? undefined : source.size);
  const input = {
    image: await openForReview(args.ref!, args, true),
    ...(args.base !== undefined ? { base: () => openForReview(args.base!, args, false) } : {}),
    progressFor: browser ? browser.progressFor(progressFor) : progressFor,
  };
  // the browser opens on the image and reviews it after its first frame (--json writes the review's JSON first)
  if (browser && args.json === undefined) return { loaded: await loadImages(input), output, plan, browser };
  return { result: await reviewImage(input, plan), output, plan, browser };
}

interface Output {
  readonly ci: boolean;
  readonly failOn: FailOn;
  readonly reports: Array<{ format: Format; file: string }>;
  readonly stdoutFormat: Format | undefined;
  /** Nothing else asked for: the browser when there is a terminal, else the plain report. */
  readonly browser: boolean;
  /** `--json FILE` alone on a terminal: write it and stop, as dive's -j. */
  readonly jsonOnly: boolean;
}

/** Where the review goes, checked before anything is read. */
function outputFor(args: AnalyzeArgs): Output {
  const ci = args.ci === true || isCiEnv(process.env['CI']);
  const reports = reportRequests(args);
  const stdoutFormat = args.format !== undefined && args.output === undefined ? parseFormat(args.format) : undefined;
  // dive's -j: on a terminal the export is the whole job, no browser
  const jsonOnly = args.json !== undefined && args.json !== '-' && process.stdout.isTTY === true && !ci && reports.length === 0 && stdoutFormat === undefined;
  return { ci, failOn: failOnFrom(args), reports, stdoutFormat, jsonOnly, browser: !ci && reports.length === 0 && stdoutFormat === undefined && !jsonOnly };
}

/** Reports to files, then the browser, a format on stdout, the CI summary or the plain report; the exit code. */
async function present(result: Review, output: Output, args: AnalyzeArgs, plan: ReviewPlan, browser: BrowserLaunch | undefined): Promise<number> {
  const { image, analysis, gate, base } = result;
  const ctx: ReportContext = { image, analysis, gate, base, version: fathomVersion(), ...(plan.dockerfile ? { dockerfile: plan.dockerfile } : {}) };
  if (args.json === '-') {
    // `--json -`: the JSON document is the output
    process.stdout.write(renderReport('json', ctx));
    return output.ci ? gateExitCode(gate, output.failOn) : 0;
  }
  if (args.json) await writeReportFile(args.json, renderReport('json', ctx));

  const plainReport = () => process.stdout.write(textReport(image, analysis) + checksText(ctx));
  if (output.jsonOnly) {
    process.stderr.write(`fathom: wrote ${args.json}\n`);
    return 0;
  }
  if (output.browser) {
    if (!browser) {
      plainReport();
      return 0;
    }
    const instructions = plan.dockerfile ? { instructions: layerInstructions(image, plan.dockerfile) } : {};
    await browser.open({ image, analysis, checks: gate.checks, baseLayers: base.count, ...instructions });
    return 0;
  }
  for (const r of output.reports) await writeReportFile(r.file, renderReport(r.format, ctx));
  if (output.stdoutFormat !== undefined) {
    process.stdout.write(renderReport(output.stdoutFormat, ctx));
  } else if (output.ci) {
    if (plan.gate.file) process.stderr.write(`fathom: using CI config ${plan.gate.file}\n`);
    process.stderr.write(`fathom: base image layers: ${base.count} (${base.detail})\n`);
    process.stdout.write(ciText(ctx, { color: useColor(process.stdout, process.env) }));
  } else {
    plainReport();
  }
  return output.ci ? gateExitCode(gate, output.failOn) : 0;
}

/**
 * CI as dive reads it, with Go's strconv.ParseBool (1, t, T, TRUE, true, True), plus `yes`; anything else — `TrUe`,
 * `on`, `0`, empty — is not CI.
 */
export function isCiEnv(v: string | undefined): boolean {
  return v !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True', 'yes', 'Yes', 'YES'].includes(v);
}


function thresholdOverrides(args: AnalyzeArgs): ThresholdOverrides {
  const o: ThresholdOverrides = {};
  if (args.lowestEfficiency !== undefined) o.lowestEfficiency = String(args.lowestEfficiency);
  if (args.highestWastedBytes !== undefined) o.highestWastedBytes = String(args.highestWastedBytes);
  if (args.highestUserWastedPercent !== undefined) o.highestUserWastedPercent = String(args.highestUserWastedPercent);
  return o;
}

function reportRequests(args: AnalyzeArgs): Array<{ format: Format; file: string }> {
  return parseReportRequests(args, parseFormat);
}

/** `--format F --output FILE` and repeated `--report F=FILE`: each report to its own file (`fathom diff` too). */
export function parseReportRequests<F>(args: { output?: string; format?: string; report?: string[] }, parse: (s: string) => F): Array<{ format: F; file: string }> {
  const out: Array<{ format: F; file: string }> = [];
  if (args.output !== undefined) out.push({ format: parse(args.format ?? 'text'), file: args.output });
  for (const r of args.report ?? []) {
    const i = r.indexOf('=');
    if (i <= 0 || i === r.length - 1) throw new ConfigError(`--report ${r}: expected FORMAT=FILE, e.g. sarif=fathom.sarif`);
    out.push({ format: parse(r.slice(0, i)), file: r.slice(i + 1) });
  }
  return out;
}
