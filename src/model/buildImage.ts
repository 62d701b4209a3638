import { InputError } from '../errors.js';
import type { LayerRow } from './ids.js';
import type { DescribedLayer, ImageDescription, LayerBlob } from './imageDescription.js';
import type { Compression, HistoryItem, Image, Layer } from './imageTypes.js';
import { Kind } from './kinds.js';
import type { LayerEntries } from './layerEntries.js';
import { stackLayers } from './stackLayers.js';

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

function defaultMediaType(c: Compression): string {
  return c === 'gzip'
    ? 'application/vnd.docker.image.rootfs.diff.tar.gzip'
    : c === 'zstd'
      ? 'application/vnd.docker.image.rootfs.diff.tar.zstd'
      : 'application/vnd.docker.image.rootfs.diff.tar';
}

/** Strip dive-style prefixes so a history command reads as the Dockerfile line it came from. */
export function displayCommand(createdBy: string): string {
  return createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s+/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .trim();
}

/** The blob of layer `index`, checked against what the manifest and the config say it is. */
function checkedBlob(d: ImageDescription, layer: DescribedLayer, index: number): LayerBlob {
  const name = `${d.source}: layer ${index} (${layer.descriptor?.digest ?? layer.location})`;
  const blob = d.blobs.get(layer.blob);
  if (!blob) throw new InputError(`${name} is missing`);
  const m = layer.descriptor;
  if (m && m.digest !== blob.digest) throw new InputError(`${name} has digest ${blob.digest}, the manifest says ${m.digest}`);
  if (m && m.size >= 0 && m.size !== blob.compressedSize) {
    throw new InputError(`${name} is ${blob.compressedSize} bytes, the manifest says ${m.size}`);
  }
  if (m && m.mediaType && !LAYER_MEDIA_TYPES.has(m.mediaType)) throw new InputError(`${name} has unknown media type ${m.mediaType}`);
  const diffId = d.config.diffIds[index];
  if (blob.diffId !== diffId) throw new InputError(`${name} uncompressed digest ${blob.diffId} does not match the config's diff_id ${diffId}`);
  return blob;
}

/** An eStargz layer without the entries eStargz adds for itself, and its size without theirs. */
function withoutEstargzMeta(d: ImageDescription, files: LayerEntries, size: number): { files: LayerEntries; size: number } {
  const isMeta = (row: LayerRow) => files.kind.get(row) === Kind.file && ESTARGZ_META.has(d.paths.path(files.path.get(row)));
  for (let row = 0 as LayerRow; row < files.count; row++) if (isMeta(row)) size -= files.size.get(row);
  return { files: files.filter((row) => !isMeta(row)), size };
}

/** Assemble the Image from a description: check each layer's blob, stack the layers, number the history. */
export function buildImage(d: ImageDescription): Image {
  const { source, config } = d;
  const notes = [...d.notes];
  if (config.diffIds.length !== d.layers.length) {
    throw new InputError(`${source}: the manifest lists ${d.layers.length} layers but the config has ${config.diffIds.length} rootfs.diff_ids`);
  }
  const layerHistory = d.history.filter((h) => !h.emptyLayer);
  const used = new Set<string>();
  const tables: LayerEntries[] = [];
  const partial = d.layers.map((layer, index) => {
    const blob = checkedBlob(d, layer, index);
    // a blob used by two layers (identical empty layers) gets its own stacking state for each use
    let files = used.has(layer.blob) ? blob.files.clone() : blob.files;
    used.add(layer.blob);
    let size = blob.size;
    if (layer.descriptor?.annotations[ESTARGZ_TOC]) ({ files, size } = withoutEstargzMeta(d, files, size));
    tables.push(files);
    const h = layerHistory[index];
    return {
      index,
      archivePath: layer.location,
      digest: blob.digest,
      diffId: blob.diffId,
      mediaType: layer.descriptor?.mediaType || defaultMediaType(blob.compression),
      compression: blob.compression,
      compressedSize: blob.compressedSize,
      size,
      command: h ? displayCommand(h.createdBy) : '',
      ...(h?.created ? { created: h.created } : {}),
      ...(h?.comment ? { comment: h.comment } : {}),
    };
  });
  if (layerHistory.length > 0 && layerHistory.length !== d.layers.length) {
    notes.push(`the config's history has ${layerHistory.length} layer entries for ${d.layers.length} layers; commands may be misattributed`);
  }
  const files = stackLayers(tables, d.paths, notes);
  const layers: Layer[] = partial.map((p, i) => ({ ...p, files: tables[i]! }));

  let layerIndex = 0;
  const history: HistoryItem[] = d.history.map((h) => ({
    ...h,
    ...(h.emptyLayer ? {} : { layerIndex: layerIndex++ }),
  }));
  return {
    source,
    tags: d.tags,
    id: d.configDigest,
    layout: d.layout,
    ...(d.manifestDigest ? { manifestDigest: d.manifestDigest } : {}),
    manifestAnnotations: d.manifestAnnotations,
    indexAnnotations: d.indexAnnotations,
    config,
    layers,
    history,
    files,
    notes,
  };
}
