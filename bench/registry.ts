/**
 * The registry part of the bench: the bench archive's own blobs (gzip layers stay gzip) pushed into a local
 * distribution registry with its own storage in a temp dir, then fathom's time reading it from there against reading
 * the file. skopeo's docker-archive transport would decompress every layer on the way (docker save layers are
 * addressed by diff_id), so the blobs go through an OCI layout written here instead, digests preserved.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, linkSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { push, registryToolsMissing, startRegistry } from '../test/helpers/registry.js';

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(c as Buffer);
  return 'sha256:' + h.digest('hex');
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  const b = Buffer.alloc(2);
  readSync(fd, b, 0, 2, 0);
  closeSync(fd);
  return b[0] === 0x1f && b[1] === 0x8b;
}

/** An OCI layout whose blobs are the docker save archive's files, hard-linked, under their own digests. */
async function layoutFromDockerSave(archive: string, dir: string): Promise<string> {
  const files = join(dir, 'extracted');
  const layout = join(dir, 'layout');
  mkdirSync(files, { recursive: true });
  mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
  execFileSync('tar', ['-xf', archive, '-C', files]);
  const [entry] = JSON.parse(readFileSync(join(files, 'manifest.json'), 'utf8')) as Array<{ Config: string; Layers: string[] }>;
  const blob = async (path: string) => {
    const digest = await sha256File(path);
    const target = join(layout, 'blobs', 'sha256', digest.slice(7));
    rmSync(target, { force: true });
    linkSync(path, target);
    return { digest, size: statSync(path).size };
  };
  const config = { mediaType: 'application/vnd.oci.image.config.v1+json', ...(await blob(join(files, entry!.Config))) };
  const layers = [];
  for (const l of entry!.Layers) {
    const path = join(files, l);
    layers.push({ mediaType: isGzip(path) ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar', ...(await blob(path)) });
  }
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers }));
  const hex = createHash('sha256').update(manifest).digest('hex');
  writeFileSync(join(layout, 'blobs', 'sha256', hex), manifest);
  writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${hex}`, size: manifest.length }] }),
  );
  return layout;
}

export async function withBenchRegistry<T>(archive: string, fn: (ref: string, pushSeconds: number) => Promise<T>): Promise<T | string> {
  const missing = registryToolsMissing();
  if (missing) return missing;
  const dir = mkdtempSync(join(tmpdir(), 'fathom-bench-registry-'));
  try {
    const layout = await layoutFromDockerSave(archive, dir);
    const registry = await startRegistry({ dir, storage: join(dir, 'storage') });
    try {
      const t0 = process.hrtime.bigint();
      await push(`oci:${layout}`, registry, 'bench/archive:1');
      return await fn(`${registry.host}/bench/archive:1`, Number(process.hrtime.bigint() - t0) / 1e9);
    } finally {
      await registry.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Timed {
  readonly mode: string;
  readonly seconds: number;
  readonly entries: number;
  readonly maxRssBytes: number;
}

/**
 * The fastest run of each and their ratio, which judges the target, and the median of the rounds' own ratios: on a
 * shared machine one quiet moment can favour either side, a pair's ratio less so.
 */
export function registryReport(pushSeconds: number, pairs: ReadonlyArray<{ file: Timed; registry: Timed }>, row: (r: Timed) => string): string {
  const fastest = (rs: Timed[]) => [...rs].sort((a, b) => a.seconds - b.seconds)[0]!;
  const file = fastest(pairs.map((p) => p.file));
  const registry = fastest(pairs.map((p) => p.registry));
  const ratios = pairs.map((p) => p.registry.seconds / p.file.seconds).sort((a, b) => a - b);
  const median = ratios.length % 2 ? ratios[(ratios.length - 1) / 2]! : (ratios[ratios.length / 2 - 1]! + ratios[ratios.length / 2]!) / 2;
  const lines = [
    `registry: the archive pushed to a local docker-registry with skopeo in ${pushSeconds.toFixed(1)} s`,
    row({ ...file, mode: 'fathom (file)' }),
    row({ ...registry, mode: 'fathom (registry)' }),
  ];
  const differ = pairs.find((p) => p.registry.entries !== p.file.entries);
  if (differ) lines.push(`registry: ${differ.registry.entries} entries, the file ${differ.file.entries}: they differ!`);
  lines.push(`registry / file: ${(registry.seconds / file.seconds).toFixed(2)}x (target <= 1.3x on loopback)`);
  lines.push(`  each round (file, registry): ${pairs.map((p) => `${p.file.seconds.toFixed(2)}/${p.registry.seconds.toFixed(2)} s`).join(', ')}; median ratio ${median.toFixed(2)}x`);
  return lines.join('\n');
}
