/**
 * The registry part of the bench: the bench archive pushed (skopeo, digests preserved) into a local distribution
 * registry with its own storage in a temp dir, then fathom's time reading it from there against reading the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { push, registryToolsMissing, startRegistry } from '../test/helpers/registry.js';

export async function withBenchRegistry<T>(archive: string, fn: (ref: string, pushSeconds: number) => Promise<T>): Promise<T | string> {
  const missing = registryToolsMissing();
  if (missing) return missing;
  const dir = mkdtempSync(join(tmpdir(), 'fathom-bench-registry-'));
  const registry = await startRegistry({ dir, storage: join(dir, 'storage') });
  try {
    const t0 = process.hrtime.bigint();
    await push(`docker-archive:${archive}`, registry, 'bench/archive:1');
    return await fn(`${registry.host}/bench/archive:1`, Number(process.hrtime.bigint() - t0) / 1e9);
  } finally {
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
