import { InputError } from '../errors.js';
import type { Compression, HistoryItem, Image, Layer } from './imageTypes.js';
import type { LayerEntries } from './layerEntries.js';
import type { ArchiveContents } from '../archive/readArchive.js';
import { runtimeConfig } from '../archive/ociTypes.js';
import type { SelectedImage } from '../archive/selectImage.js';
import { stackLayers } from './stackLayers.js';
import type { LayerRow } from './ids.js';
import { Kind } from './kinds.js';

const LAYER_MEDIA_TYPES = new Set([
  'application/vnd.docker.image.rootfs.diff.tar',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.diff.tar.zstd',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
]);

const ESTARGZ_TOC = 'containerd.io/snapshot/stargz/toc.digest';
/** Entries eStargz adds to the tar for lazy pulling; they are not part of the image's filesystem. */
const ESTARGZ_META = new Set(['/stargz.index.json', '/.prefetch.landmark', '/.no.prefetch.landmark']);

const NAMED_BY_DIGEST = /(?:^|\/)(?:sha256:)?([0-9a-f]{64})(?:\.tar|\.tar\.gz|\.json)?$/;

function defaultMediaType(c: Compression): string {
  return c === 'gzip'
    ? 'application/vnd.docker.image.rootfs.diff.tar.gzip'
    : c === 'zstd'
      ? 'application/vnd.docker.image.rootfs.diff.tar.zstd'
      : 'application/vnd.docker.image.rootfs.diff.tar';
}

/** Every blob named by a digest must hash to that name (or, for a layer, to its uncompressed digest). */
function verifyBlobNames(contents: ArchiveContents, archive: string): void {
  for (const [path, digest] of contents.digests) {
    const m = NAMED_BY_DIGEST.exec(path);
    if (!m) continue;
    const named = 'sha256:' + m[1];
    if (digest === named) continue;
    if (contents.layers.get(path)?.diffId === named) continue;
    throw new InputError(`${archive}: ${path} is corrupt: its content hashes to ${digest}`);
  }
}

/** Strip dive-style prefixes so a history command reads as the Dockerfile line it came from. */
export function displayCommand(createdBy: string): string {
  return createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s+/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .trim();
}

export function buildImage(contents: ArchiveContents, sel: SelectedImage, source: string): Image {
  verifyBlobNames(contents, source);
  const notes = [...sel.notes];
  const cfg = sel.config;
  if (cfg.diffIds.length !== sel.layers.length) {
    throw new InputError(`${source}: the manifest lists ${sel.layers.length} layers but the config has ${cfg.diffIds.length} rootfs.diff_ids`);
  }
  const layerHistory = cfg.history.filter((h) => !h.emptyLayer);
  const used = new Set<string>();
  const tables: LayerEntries[] = [];
  const partial = sel.layers.map((ref, index) => {
    const blob = contents.layers.get(ref.archivePath);
    const name = `layer ${index} (${ref.descriptor?.digest ?? ref.archivePath})`;
    if (!blob) {
      if (contents.digests.has(ref.archivePath)) throw new InputError(`${source}: ${name} is not a tar, gzip or zstd layer`);
      throw new InputError(`${source}: ${name} is missing from the archive`);
    }
    const d = ref.descriptor;
    if (d && d.digest !== blob.digest) throw new InputError(`${source}: ${name} has digest ${blob.digest}, the manifest says ${d.digest}`);
    if (d && d.size >= 0 && d.size !== blob.compressedSize) {
      throw new InputError(`${source}: ${name} is ${blob.compressedSize} bytes, the manifest says ${d.size}`);
    }
    if (d && d.mediaType && !LAYER_MEDIA_TYPES.has(d.mediaType)) {
      throw new InputError(`${source}: ${name} has unknown media type ${d.mediaType}`);
    }
    if (blob.diffId !== cfg.diffIds[index]) {
      throw new InputError(`${source}: ${name} uncompressed digest ${blob.diffId} does not match the config's diff_id ${cfg.diffIds[index]}`);
    }
    // a blob used by two layers (identical empty layers) gets its own stacking state for each use
    let files = used.has(ref.archivePath) ? blob.files.clone() : blob.files;
    used.add(ref.archivePath);
    let size = blob.size;
    if (d?.annotations[ESTARGZ_TOC]) {
      const f = files;
      const isMeta = (row: LayerRow) => f.kind.get(row) === Kind.file && ESTARGZ_META.has(contents.paths.path(f.path.get(row)));
      for (let row = 0 as LayerRow; row < f.count; row++) if (isMeta(row)) size -= f.size.get(row);
      files = f.filter((row) => !isMeta(row));
    }
    tables.push(files);
    const h = layerHistory[index];
    return {
      index,
      archivePath: ref.archivePath,
      digest: blob.digest,
      diffId: blob.diffId,
      mediaType: ref.mediaType || defaultMediaType(blob.compression),
      compression: blob.compression,
      compressedSize: blob.compressedSize,
      size,
      command: h ? displayCommand(h.createdBy) : '',
      ...(h?.created ? { created: h.created } : {}),
      ...(h?.comment ? { comment: h.comment } : {}),
    };
  });
  if (layerHistory.length > 0 && layerHistory.length !== sel.layers.length) {
    notes.push(`the config's history has ${layerHistory.length} layer entries for ${sel.layers.length} layers; commands may be misattributed`);
  }
  const files = stackLayers(tables, contents.paths, notes);
  const layers: Layer[] = partial.map((p, i) => {
    const t = tables[i]!;
    return Object.defineProperty({ ...p, files: t } as Omit<Layer, 'entries'>, 'entries', { get: () => t.entries(i), enumerable: false }) as Layer;
  });

  let layerIndex = 0;
  const history: HistoryItem[] = cfg.history.map((h) => ({
    ...h,
    ...(h.emptyLayer ? {} : { layerIndex: layerIndex++ }),
  }));
  const rc = runtimeConfig(cfg.config);
  return {
    source,
    tags: sel.tags,
    id: sel.configDigest,
    layout: sel.layout,
    ...(sel.manifestDigest ? { manifestDigest: sel.manifestDigest } : {}),
    manifestAnnotations: sel.manifestAnnotations,
    indexAnnotations: sel.indexAnnotations,
    config: {
      ...rc,
      os: cfg.os,
      architecture: cfg.architecture,
      ...(cfg.variant ? { variant: cfg.variant } : {}),
      ...(cfg.created ? { created: cfg.created } : {}),
      diffIds: cfg.diffIds,
    },
    layers,
    history,
    files,
    notes,
  };
}
