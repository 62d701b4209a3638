import { InputError } from '../errors.js';
import type { DescribedLayer, ImageDescription, LayerBlob } from '../model/imageDescription.js';
import { imageConfig } from './ociTypes.js';
import type { ArchiveContents } from './readArchive.js';
import type { SelectedImage } from './selectImage.js';

const NAMED_BY_DIGEST = /(?:^|\/)(?:sha256:)?([0-9a-f]{64})(?:\.tar|\.tar\.gz|\.json)?$/;

/** Every blob the archive names by a digest must hash to that name (or, for a layer, to its uncompressed digest). */
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

/**
 * The chosen image of an archive as a plain description for assembly: what the archive alone can check (names that
 * are digests, layers that are missing or are not layers) is checked here; the rest is checked by buildImage.
 */
export function describeImage(contents: ArchiveContents, sel: SelectedImage, source: string): ImageDescription {
  verifyBlobNames(contents, source);
  const blobs = new Map<string, LayerBlob>();
  const layers = sel.layers.map((ref, index): DescribedLayer => {
    const blob = contents.layers.get(ref.archivePath);
    if (!blob) {
      const name = `layer ${index} (${ref.descriptor?.digest ?? ref.archivePath})`;
      if (contents.digests.has(ref.archivePath)) throw new InputError(`${source}: ${name} is not a tar, gzip or zstd layer`);
      throw new InputError(`${source}: ${name} is missing from the archive`);
    }
    blobs.set(blob.digest, blob);
    return { location: ref.archivePath, blob: blob.digest, ...(ref.descriptor ? { descriptor: ref.descriptor } : {}) };
  });
  return {
    source,
    layout: sel.layout,
    tags: sel.tags,
    configDigest: sel.configDigest,
    config: imageConfig(sel.config),
    history: sel.config.history,
    ...(sel.manifestDigest ? { manifestDigest: sel.manifestDigest } : {}),
    manifestAnnotations: sel.manifestAnnotations,
    indexAnnotations: sel.indexAnnotations,
    layers,
    blobs,
    paths: contents.paths,
    notes: sel.notes,
  };
}
