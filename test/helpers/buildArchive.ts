/**
 * Builds real image archives in memory with tar-stream, for edge cases the shared corpus does not cover.
 * Every archive here is a genuine tar (gzip via zlib, zstd via Debian's zstd binary): nothing is mocked.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface TarItem {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo' | 'character-device' | 'block-device';
  content?: string | Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
  linkname?: string;
  /** A device's numbers. */
  devmajor?: number;
  devminor?: number;
  /** Extra PAX records for this entry. */
  pax?: Record<string, string>;
}

export async function makeTar(items: TarItem[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const it of items) {
    const type = it.type ?? (it.content !== undefined ? 'file' : 'directory');
    const content = it.content === undefined ? Buffer.alloc(0) : Buffer.from(it.content);
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: it.name,
        type: type as 'file',
        mode: it.mode ?? (type === 'directory' ? 0o755 : 0o644),
        uid: it.uid ?? 0,
        gid: it.gid ?? 0,
        mtime: new Date(0),
        ...(it.linkname !== undefined ? { linkname: it.linkname } : {}),
        ...(it.devmajor !== undefined ? { devmajor: it.devmajor, devminor: it.devminor ?? 0 } : {}),
        ...(it.pax ? { pax: it.pax } : {}),
        size: type === 'file' ? content.length : 0,
      };
      if (type === 'file') pack.entry(header, content, (e) => (e ? reject(e) : resolve()));
      else pack.entry(header, (e) => (e ? reject(e) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export function sha256(b: Buffer | string): string {
  return 'sha256:' + createHash('sha256').update(b).digest('hex');
}

export function zstdCompress(b: Buffer): Buffer {
  return execFileSync('zstd', ['-q', '-c', '-3'], { input: b, maxBuffer: 1 << 30 });
}

export type LayerCompression = 'none' | 'gzip' | 'zstd';

export interface LayerSpec {
  items: TarItem[];
  /** A hand-made tar instead of `items` (raw records). */
  raw?: Buffer;
  compression?: LayerCompression;
  createdBy?: string;
}

export interface ImageSpec {
  layers: LayerSpec[];
  tag?: string;
  config?: Record<string, unknown>;
  architecture?: string;
  os?: string;
  variant?: string;
  /** Extra empty-layer history entries appended at the end. */
  emptyHistory?: string[];
}

interface BuiltLayer {
  blob: Buffer;
  diffId: string;
  digest: string;
  mediaType: string;
}

async function buildLayer(l: LayerSpec): Promise<BuiltLayer> {
  const raw = l.raw ?? (await makeTar(l.items));
  const c = l.compression ?? 'none';
  const blob = c === 'gzip' ? gzipSync(raw) : c === 'zstd' ? zstdCompress(raw) : raw;
  const mediaType = 'application/vnd.oci.image.layer.v1.tar' + (c === 'gzip' ? '+gzip' : c === 'zstd' ? '+zstd' : '');
  return { blob, diffId: sha256(raw), digest: sha256(blob), mediaType };
}

function configJson(spec: ImageSpec, layers: BuiltLayer[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: spec.architecture ?? 'amd64',
      os: spec.os ?? 'linux',
      ...(spec.variant ? { variant: spec.variant } : {}),
      config: spec.config ?? { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: [
        ...spec.layers.map((l, i) => ({ created_by: l.createdBy ?? `RUN step ${i}` })),
        ...(spec.emptyHistory ?? []).map((c) => ({ created_by: c, empty_layer: true })),
      ],
    }),
  );
}

/** A classic `docker save` archive: manifest.json, `<id>/layer.tar`, `<config>.json`. */
export async function dockerArchive(images: ImageSpec[], opts: { manifestFirst?: boolean } = {}): Promise<Buffer> {
  const items: TarItem[] = [];
  const manifest: unknown[] = [];
  let n = 0;
  for (const spec of images) {
    const layers = await Promise.all(spec.layers.map(buildLayer));
    const config = configJson(spec, layers);
    const configName = sha256(config).slice(7) + '.json';
    const layerNames = layers.map(() => `layer${n++}/layer.tar`);
    manifest.push({ Config: configName, RepoTags: spec.tag ? [spec.tag] : [], Layers: layerNames });
    layers.forEach((l, i) => items.push({ name: layerNames[i]!, content: l.blob }));
    items.push({ name: configName, content: config });
  }
  const m: TarItem = { name: 'manifest.json', content: JSON.stringify(manifest) };
  // layers in reverse entry order: the reader must take order from the manifest, not from the tar
  items.reverse();
  return makeTar(opts.manifestFirst ? [m, ...items] : [...items, m]);
}

export interface OciOptions {
  /** Put every image under one nested index (multi-platform). */
  multiPlatform?: boolean;
  refNames?: string[];
}

/** An OCI image layout archive: oci-layout, index.json, blobs/sha256. */
export async function ociArchive(images: ImageSpec[], opts: OciOptions = {}): Promise<Buffer> {
  const blobs = new Map<string, Buffer>();
  const put = (b: Buffer) => {
    const d = sha256(b);
    blobs.set(d, b);
    return d;
  };
  const descriptors: Record<string, unknown>[] = [];
  for (const [i, spec] of images.entries()) {
    const layers = await Promise.all(spec.layers.map(buildLayer));
    for (const l of layers) put(l.blob);
    const config = configJson(spec, layers);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(config), size: config.length },
        layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
      }),
    );
    descriptors.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: put(manifest),
      size: manifest.length,
      platform: { os: spec.os ?? 'linux', architecture: spec.architecture ?? 'amd64', ...(spec.variant ? { variant: spec.variant } : {}) },
      ...(opts.refNames?.[i] ? { annotations: { 'org.opencontainers.image.ref.name': opts.refNames[i] } } : {}),
    });
  }
  let top = descriptors;
  if (opts.multiPlatform) {
    const nested = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: descriptors }));
    top = [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: put(nested), size: nested.length }];
  }
  const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: top });
  const items: TarItem[] = [
    { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', content: index },
    ...[...blobs].map(([d, b]) => ({ name: `blobs/sha256/${d.slice(7)}`, content: b })),
  ];
  return makeTar(items);
}

export async function* chunksOf(buf: Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

/** One raw tar record (header + padded data) with any typeflag: for GNU `L` long names and PAX `g` global headers. */
export function rawTarRecord(typeflag: string, name: string, data: Buffer | string, mode = 0o644): Buffer {
  const body = Buffer.from(data);
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write(mode.toString(8).padStart(7, '0') + '\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(typeflag, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  const pad = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([h, body, pad]);
}

/** A layer tar made of raw records (ends with the two zero blocks). */
export function rawTar(records: Buffer[]): Buffer {
  return Buffer.concat([...records, Buffer.alloc(1024)]);
}
