import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import tar from 'tar-stream';
import { readLayerBlob } from '../../src/layer/readLayer.js';
import { ROOT } from './runCli.js';

/**
 * The JavaScript zstd decoder as a machine without the `zstd` binary runs it: a child process whose PATH holds no
 * zstd reads a layer blob from a file, and reports what it read and its peak RSS (memory bounds are measured, not
 * inferred from timing).
 */
export interface FallbackRead {
  readonly error?: string;
  readonly entries: number;
  readonly diffId?: string;
  readonly maxRssBytes: number;
}

export function readWithoutZstdBinary(blobPath: string): FallbackRead {
  return readLayerInChild(blobPath, { withoutZstdBinary: true });
}

/** The same read in a child process, peak RSS measured; with the zstd binary hidden or not. */
export function readLayerInChild(blobPath: string, opts: { withoutZstdBinary: boolean }): FallbackRead {
  const emptyPath = mkdtempSync(join(tmpdir(), 'fathom-no-zstd-'));
  try {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), blobPath], {
      cwd: ROOT,
      env: opts.withoutZstdBinary ? { ...process.env, PATH: emptyPath } : process.env,
      maxBuffer: 16 << 20,
      timeout: 300_000,
    });
    if (child.status !== 0) throw new Error(`the fallback child failed (${child.status} ${child.signal ?? ''}): ${child.stderr.toString()}`);
    return JSON.parse(child.stdout.toString()) as FallbackRead;
  } finally {
    rmSync(emptyPath, { recursive: true, force: true });
  }
}

/**
 * A layer holding one file of `size` bytes all `fill`, compressed by the real `zstd -3` (or `gzip -1`), written to
 * `path`; never whole in memory.
 */
export async function zeroFileLayer(path: string, name: string, size: number, opts: { compressor?: 'zstd' | 'gzip'; fill?: number } = {}): Promise<void> {
  const command = opts.compressor === 'gzip' ? 'gzip -1 -c' : 'zstd -q -c -3';
  const zstd = spawn('sh', ['-c', `${command} > "${path}"`], { stdio: ['pipe', 'ignore', 'inherit'] });
  const closed = new Promise<number | null>((resolve) => zstd.on('close', resolve));
  const pack = tar.pack();
  pack.pipe(zstd.stdin);
  const entry = pack.entry({ name, size, mode: 0o644, mtime: new Date(0) });
  const zeros = Buffer.alloc(1 << 20, opts.fill ?? 0);
  for (let left = size; left > 0; left -= zeros.length) {
    if (!entry.write(left >= zeros.length ? zeros : zeros.subarray(0, left))) await once(entry, 'drain');
  }
  (entry as unknown as { end(): void }).end();
  pack.finalize();
  const code = await closed;
  if (code !== 0) throw new Error(`${command} exited ${code}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv[2]!;
  let result: FallbackRead;
  try {
    const blob = await readLayerBlob(createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>, 'layer.zst');
    result = { entries: blob.files.count, diffId: blob.diffId, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  } catch (err) {
    result = { error: (err as Error).message, entries: 0, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  }
  process.stdout.write(JSON.stringify(result));
}
