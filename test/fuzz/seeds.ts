/**
 * The fuzz campaign's seeds: small real image archives, kept as their parts (layer tars, config, layout) so a
 * mutation can edit a layer's decompressed tar or a config field and reassemble an archive whose digests still
 * match. Layers are real tars (tar-stream), compressed by zlib or the real zstd binary.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { makeTar, type TarItem } from '../helpers/buildArchive.js';

export type Compression = 'none' | 'gzip' | 'zstd';

export interface SeedLayer {
  items: TarItem[];
  compression: Compression;
  /** Edits of the tar's bytes after it is made from `items` (header edits, bit flips), applied by `assemble`. */
  tarEdits: Array<(tar: Buffer) => Buffer>;
}

export interface Seed {
  readonly name: string;
  layout: 'docker' | 'oci';
  layers: SeedLayer[];
  config: Record<string, unknown>;
  /** Nest the manifest under one more index (multi-platform layout). */
  nested: boolean;
}

const sha256 = (b: Buffer) => 'sha256:' + createHash('sha256').update(b).digest('hex');

/** The real zstd binary by absolute path: the worker that exercises the JavaScript decoder has no zstd on PATH. */
export function compress(tar: Buffer, kind: Compression, zstdPath: string): Buffer {
  if (kind === 'gzip') return gzipSync(tar, { level: 1 });
  if (kind === 'zstd') return execFileSync(zstdPath, ['-q', '-c', '-3'], { input: tar, maxBuffer: 1 << 28 });
  return tar;
}

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\napp:x:1000:1000::/home/app:/bin/sh\n';
const GROUP = 'root:x:0:\ndaemon:x:1:\napp:x:1000:\n';
const SHADOW = 'root:*:19000:0:99999:7:::\napp::19000:0:99999:7:::\n';
const STATUS = 'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n';

/** A small real ELF (the host's /bin/true: dynamic, with an interpreter and DT_NEEDED), or a stub where there is none. */
function realElf(): Buffer {
  try {
    return readFileSync('/bin/true');
  } catch {
    return Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(57)]);
  }
}

function baseItems(): TarItem[] {
  return [
    { name: 'bin/' },
    { name: 'bin/true', content: realElf(), mode: 0o755 },
    { name: 'bin/sh', type: 'symlink', linkname: 'true' },
    { name: 'etc/' },
    { name: 'etc/passwd', content: PASSWD },
    { name: 'etc/group', content: GROUP },
    { name: 'etc/shadow', content: SHADOW, mode: 0o640 },
    { name: 'etc/ld.so.conf', content: 'include /etc/ld.so.conf.d/*.conf\n/opt/lib\n' },
    { name: 'etc/ld.so.conf.d/' },
    { name: 'etc/ld.so.conf.d/x.conf', content: '/usr/local/lib\n' },
    { name: 'var/lib/dpkg/status', content: STATUS },
  ];
}

function upperItems(): TarItem[] {
  return [
    { name: 'app/' },
    { name: 'app/run.sh', content: '#!/bin/sh -e\nexec /bin/true "$@"\n', mode: 0o755 },
    { name: 'app/key.pem', content: PEM },
    { name: 'app/tool', content: realElf(), mode: 0o4755 },
    { name: 'etc/.wh.group', content: '' },
    { name: 'tmp/', mode: 0o1777 },
    { name: 'app/link', type: 'link', linkname: 'app/run.sh' },
    { name: 'var/lib/dpkg/status', content: STATUS.replace('2.36-9', '2.36-10') },
  ];
}

function config(): Record<string, unknown> {
  return {
    architecture: 'amd64',
    os: 'linux',
    config: { User: 'app', Entrypoint: ['/app/run.sh'], Cmd: ['--serve'], Env: ['PATH=/usr/bin:/bin'], WorkingDir: '/app', Labels: { a: 'b' } },
    history: [{ created_by: 'ADD base' }, { created_by: 'COPY app /app' }, { created_by: 'ENV X=1', empty_layer: true }],
  };
}

/** The seeds, each a fresh object (mutations edit them in place). */
export function seeds(): Seed[] {
  const layer = (items: TarItem[], compression: Compression): SeedLayer => ({ items, compression, tarEdits: [] });
  const tiny = (): TarItem[] => [{ name: 'hello', content: 'hello\n' }];
  return [
    { name: 'docker-gzip', layout: 'docker', layers: [layer(baseItems(), 'gzip'), layer(upperItems(), 'none')], config: config(), nested: false },
    { name: 'oci-zstd', layout: 'oci', layers: [layer(baseItems(), 'zstd'), layer(upperItems(), 'gzip')], config: config(), nested: false },
    { name: 'oci-nested', layout: 'oci', layers: [layer(tiny(), 'none'), layer(upperItems(), 'zstd')], config: config(), nested: true },
  ];
}

/** An archive of the seed as it now is, with every digest, diff_id and size made to match its parts. */
export async function assemble(seed: Seed, zstdPath: string): Promise<Buffer> {
  const tars: Buffer[] = [];
  for (const l of seed.layers) tars.push(l.tarEdits.reduce((t, edit) => edit(t), await makeTar(l.items)));
  const blobs = tars.map((t, i) => compress(t, seed.layers[i]!.compression, zstdPath));
  const cfg = Buffer.from(JSON.stringify({ ...seed.config, rootfs: { type: 'layers', diff_ids: tars.map((t) => sha256(t)) } }));
  if (seed.layout === 'docker') {
    const names = blobs.map((b) => `${sha256(b).slice(7)}/layer.tar`);
    const manifest = [{ Config: `${sha256(cfg).slice(7)}.json`, RepoTags: ['fuzz:1'], Layers: names }];
    return makeTar([
      ...blobs.map((b, i) => ({ name: names[i]!, content: b })),
      { name: `${sha256(cfg).slice(7)}.json`, content: cfg },
      { name: 'manifest.json', content: JSON.stringify(manifest) },
    ]);
  }
  const mediaType = (c: Compression) => 'application/vnd.oci.image.layer.v1.tar' + (c === 'gzip' ? '+gzip' : c === 'zstd' ? '+zstd' : '');
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(cfg), size: cfg.length },
      layers: blobs.map((b, i) => ({ mediaType: mediaType(seed.layers[i]!.compression), digest: sha256(b), size: b.length })),
    }),
  );
  const entries: Buffer[] = [...blobs, cfg, manifest];
  let top = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length, platform: { os: 'linux', architecture: 'amd64' } };
  if (seed.nested) {
    const nested = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [top] }));
    entries.push(nested);
    top = { mediaType: 'application/vnd.oci.image.index.v1+json', digest: sha256(nested), size: nested.length, platform: { os: 'linux', architecture: 'amd64' } };
  }
  return makeTar([
    { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: [top] }) },
    ...entries.map((b) => ({ name: `blobs/sha256/${sha256(b).slice(7)}`, content: b })),
  ]);
}
