import { START_RULES } from '../diff/startRegression.js';
import { ConfigError, InputError } from '../errors.js';
import { loadGateConfig } from '../ci/gateConfig.js';
import { planReview, review } from '../review/review.js';
import { loadForReview } from '../review/loadForReview.js';
import { isRegistrySource } from '../source/openImageRef.js';
import { planStrip, whyKept } from '../strip/plan.js';
import { planJson, planListing, planSummary } from '../strip/planReport.js';
import { fromRegistry } from '../strip/registryBytes.js';
import { PROFILES, type ProfileName } from '../strip/profiles.js';
import { smokeTest, type SmokeResult } from '../strip/smoke.js';
import { fromArchiveFile } from '../strip/sourceBytes.js';
import { startRegressions } from '../strip/verifyOutput.js';
import { writeStrippedImage, type ArchiveFormat } from '../strip/writeArchive.js';
import { openSource, writeReportFile, type AnalyzeArgs } from './analyzeCommand.js';
import { withBatchGc } from './batchGc.js';
import { hostPlatform } from './hostPlatform.js';
import { createProgress } from './progress.js';

export interface StripArgs extends AnalyzeArgs {
  o?: string;
  plan?: boolean;
  why?: string;
  exec?: string[];
  keep?: string[];
  package?: string[];
  keepShell?: boolean;
  keepDlopen?: boolean;
  smoke?: string[];
  tag?: string;
  nss?: boolean;
  caCerts?: boolean;
  tz?: boolean;
  locale?: boolean;
  hosts?: boolean;
  dirs?: boolean;
}

const PROFILE_FLAG: Record<ProfileName, keyof StripArgs> = { nss: 'nss', 'ca-certs': 'caCerts', tz: 'tz', locale: 'locale', hosts: 'hosts', dirs: 'dirs' };

function epochFrom(env: NodeJS.ProcessEnv): number {
  const v = env['SOURCE_DATE_EPOCH'];
  if (v === undefined || v === '') return 0;
  if (!/^\d+$/.test(v)) throw new ConfigError(`SOURCE_DATE_EPOCH=${v}: not a number of seconds since 1970`);
  return Number(v);
}

function formatFrom(args: StripArgs): ArchiveFormat {
  const f = args.format ?? 'docker';
  if (f !== 'docker' && f !== 'oci') throw new ConfigError(`--format ${f}: strip writes docker (docker save, the default) or oci`);
  return f;
}

/** `fathom strip IMAGE`: review the image, plan the smallest filesystem that still starts, explain it, write it. */
export async function runStrip(args: StripArgs): Promise<number> {
  const out = process.stdout;
  if (!args.o && !args.plan && args.json === undefined && args.why === undefined) throw new ConfigError('strip: give -o FILE for the stripped image, or --plan / --json FILE / --why PATH to see what it would keep');
  const format = formatFrom(args);
  const epoch = epochFrom(process.env);
  const gate = await loadGateConfig({ cwd: process.cwd(), ...(args.ciConfig !== undefined ? { explicit: args.ciConfig } : {}), overrides: {} });
  const reviewPlan = planReview({ gate, today: new Date().toISOString().slice(0, 10) });
  const source = await openSource(args.ref!, args);
  // the kept files are read a second time: by offset from an archive file, by digest from a registry; a stream
  // (stdin, an engine) cannot be read again
  const secondRead = isRegistrySource(source) ? fromRegistry(source) : source.path !== undefined ? fromArchiveFile(source.path) : undefined;
  if ((args.o || args.smoke?.length) && secondRead === undefined) {
    const what = args.o ? '-o' : '--smoke';
    throw new InputError(
      `${source.name}: strip ${what} reads the kept files a second time, so it needs an archive file or a registry reference; save the image first (docker save IMAGE -o image.tar) — --plan works on any source`,
    );
  }
  const select = { ...(args.image !== undefined ? { image: String(args.image) } : {}), ...(args.platform ? { platform: args.platform } : {}), defaultPlatform: hostPlatform() };
  const image = await withBatchGc(() => loadForReview({ source, select }, (s) => createProgress(process.stderr, isRegistrySource(s) ? undefined : s.size)));
  const r = review(image, reviewPlan);
  const profiles = new Set(PROFILES.filter((p) => args[PROFILE_FLAG[p]] !== false));
  const plan = planStrip(r, { exec: args.exec ?? [], keep: args.keep ?? [], packages: args.package ?? [], profiles, keepShell: args.keepShell === true, keepDlopen: args.keepDlopen === true });
  if (args.why !== undefined) {
    const chain = whyKept(plan, args.why);
    const dropped = plan.dropped.find((d) => d.path === args.why);
    out.write(chain ? `${chain.join(' ← ')}\n` : dropped ? `${args.why}: dropped (${dropped.size} bytes): nothing the roots run needs it\n` : `${args.why}: not in the image\n`);
  }
  if (args.plan) out.write(planListing(plan));
  if (args.why === undefined) (args.o ? process.stderr : out).write(planSummary(plan, source.name));
  let smokeFailed = false;
  if (plan.refusals.length === 0 && args.smoke?.length) {
    const results = await smokeTest(plan, image, r.tree, secondRead!, args.smoke);
    for (const s of results) process.stderr.write(smokeLine(s));
    smokeFailed = results.some((s) => !s.same);
  }
  let written: { file: string; id: string; diffId: string } | undefined;
  let regressed = false;
  if (plan.refusals.length === 0 && !smokeFailed && args.o && !args.plan) {
    const tag = args.tag ? { tag: args.tag } : image.tags[0] ? { tag: `${image.tags[0]}-stripped`.replace(/^([^:]*)-stripped$/, '$1:stripped') } : {};
    const verify = (file: string) => startRegressions(file, r, reviewPlan);
    const w = await writeStrippedImage(plan, image, r.tree, { source: secondRead!, output: args.o, format, epoch, verify, ...tag });
    regressed = w.refused.length > 0;
    for (const why of w.refused) process.stderr.write(`refused: ${why}\n`);
    if (regressed) process.stderr.write(`no image written to ${args.o}\n`);
    else {
      written = { file: args.o, id: w.id, diffId: w.diffId };
      process.stderr.write(`wrote ${args.o}: image ${w.id}, one layer ${w.diffId} (${w.layerBytes} bytes); read back, it fails none of ${START_RULES.join(', ')} that the original passes\n`);
    }
  }
  if (args.json !== undefined) await writeReportFile(args.json === '-' ? '/dev/stdout' : args.json, JSON.stringify(planJson(plan, source.name, written), null, 2) + '\n');
  return plan.refusals.length > 0 || smokeFailed || regressed ? 1 : 0;
}

const firstLine = (t: string) => t.trim().split('\n')[0] ?? '';

function smokeLine(s: SmokeResult): string {
  if (s.same) return `smoke: ${s.command}: the same in both (exit ${s.original.status})\n`;
  const lines = [
    `smoke: ${s.command}: differs — original exit ${s.original.status}, stripped exit ${s.stripped.status}${s.missing ? `; first missing file: ${s.missing}` : ''}`,
    `  original: ${firstLine(s.original.stderr) || firstLine(s.original.stdout) || '(no output)'}`,
    `  stripped: ${firstLine(s.stripped.stderr) || firstLine(s.stripped.stdout) || '(no output)'}`,
    '  no image written',
  ];
  return lines.join('\n') + '\n';
}

