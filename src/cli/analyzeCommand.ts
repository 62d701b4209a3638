import { writeFile } from 'node:fs/promises';
import { analyzeImage } from '../analysis/analyzeImage.js';
import { loadImage } from '../loadImage.js';
import { ConfigError, InputError } from '../model/errors.js';
import { jsonReport } from '../report/jsonReport.js';
import { textReport } from '../report/textReport.js';
import { openArchiveFile, streamSource, type ArchiveSource } from '../source/openArchive.js';
import { hostPlatform } from './hostPlatform.js';
import { createProgress } from './progress.js';

export interface AnalyzeArgs {
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
}

export async function openSource(ref: string): Promise<ArchiveSource> {
  if (ref === '-') {
    if (process.stdin.isTTY) throw new InputError('stdin: is a terminal; pipe an archive in (docker save IMAGE | fathom -)');
    return streamSource('stdin', process.stdin);
  }
  return openArchiveFile(ref);
}

/** Write a report file whole, replacing what was there (never a longer old tail). */
export async function writeReportFile(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, { flag: 'w' });
  } catch (err) {
    throw new ConfigError(`${path}: cannot write the report (${(err as Error).message})`);
  }
}

export async function runAnalyze(args: AnalyzeArgs): Promise<number> {
  const source = await openSource(args.ref!);
  const progress = createProgress(process.stderr, source.size);
  let image;
  try {
    image = await loadImage(source.chunks, source.name, {
      ...(args.image !== undefined ? { image: String(args.image) } : {}),
      ...(args.platform ? { platform: args.platform } : {}),
      defaultPlatform: hostPlatform(),
      ...(progress.update ? { onProgress: progress.update } : {}),
    });
  } finally {
    progress.done();
  }
  const analysis = analyzeImage(image);
  if (args.json) await writeReportFile(args.json, JSON.stringify(jsonReport(image, analysis), null, 2) + '\n');
  process.stdout.write(textReport(image, analysis));
  return 0;
}
