import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadImage } from '../../src/archive/loadImage.js';
import { readLayerBlob } from '../../src/layer/readLayer.js';
import { chunksOf } from './buildArchive.js';
import { entriesOf } from './model.js';

/**
 * fathom decodes zstd with the `zstd` binary when one is on the PATH and with fzstd (JavaScript) otherwise. To
 * compare the two in one test run, the same reads run here in this process (the binary) and in a child whose PATH
 * holds no zstd (fzstd), as on a machine without the binary.
 */

export interface ZstdReads {
  /** A layer blob of several zstd frames and a skippable frame, and the same blob with garbage inside. */
  readonly blob: Buffer;
  readonly bad: Buffer;
  /** An archive file with zstd layers. */
  readonly archive: string;
}

export interface ZstdResults {
  readonly diffId: string;
  readonly entries: (readonly [string, string])[];
  /** The message reading `bad` failed with, or '' when it did not fail. */
  readonly badError: string;
  /** The archive's layers' diff_ids, joined. */
  readonly archiveDiffIds: string;
}

export function zstdBinaryInstalled(): boolean {
  return spawnSync('zstd', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The reads with the decoder this process picks (the binary, where it is installed). */
export async function readZstd(reads: ZstdReads): Promise<ZstdResults> {
  const layer = await readLayerBlob(chunksOf(reads.blob, 4096), 'chunked');
  const entries = entriesOf(layer.files).map((e) => [e.path, e.type === 'entry' ? (e.hash ?? '') : ''] as const);
  let badError = '';
  await readLayerBlob(chunksOf(reads.bad, 4096), 'bad').catch((err: Error) => (badError = err.message));
  const image = await loadImage(chunksOf(readFileSync(reads.archive)), 'z', { defaultPlatform: 'linux/amd64' });
  return { diffId: layer.diffId, entries, badError, archiveDiffIds: image.layers.map((l) => l.diffId).join() };
}

/** The same reads in a child process that cannot find a zstd binary, so fzstd decodes. */
export function readZstdWithoutBinary(reads: ZstdReads): ZstdResults {
  const emptyPath = mkdtempSync(join(tmpdir(), 'fathom-no-zstd-'));
  try {
    const input = JSON.stringify({ blob: reads.blob.toString('base64'), bad: reads.bad.toString('base64'), archive: reads.archive });
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      input,
      env: { ...process.env, PATH: emptyPath },
      maxBuffer: 64 << 20,
    });
    if (child.status !== 0) throw new Error(`the fzstd child failed: ${child.stderr.toString()}`);
    return JSON.parse(child.stdout.toString()) as ZstdResults;
  } finally {
    rmSync(emptyPath, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const raw = JSON.parse(readFileSync(0, 'utf8')) as { blob: string; bad: string; archive: string };
  const results = await readZstd({ blob: Buffer.from(raw.blob, 'base64'), bad: Buffer.from(raw.bad, 'base64'), archive: raw.archive });
  process.stdout.write(JSON.stringify(results));
}
