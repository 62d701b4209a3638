import type { Analysis } from '../analysis/analyzeImage.js';
import type { Image } from '../model/imageTypes.js';

/**
 * dive's JSON export (`layer[]`, `image{sizeBytes, inefficientBytes, efficiencyScore, fileReference[]}`) with
 * fathom's own fields beside dive's, so tools written for dive keep reading it.
 */
export function jsonReport(image: Image, a: Analysis) {
  const createdBy = new Map(image.history.filter((h) => h.layerIndex !== undefined).map((h) => [h.layerIndex!, h.createdBy] as const));
  return {
    layer: image.layers.map((l) => ({
      index: l.index,
      // dive's: the first component of the layer's path in the archive (`<v1 id>` of `<v1 id>/layer.tar`, `blobs`
      // of `blobs/sha256/…`), so it depends on how the image arrived; fathom's diffId does not
      id: l.archivePath.split('/')[0]!,
      digestId: l.diffId,
      sizeBytes: l.size,
      // dive's: the history's created_by without `/bin/sh -c ` (fathom's own reading of it is `instruction`)
      command: diveCommand(createdBy.get(l.index)),
      instruction: l.command,
      digest: l.digest,
      diffId: l.diffId,
      mediaType: l.mediaType,
      compression: l.compression,
      compressedSizeBytes: l.compressedSize,
      ...(l.created ? { created: l.created } : {}),
    })),
    image: {
      sizeBytes: a.sizeBytes,
      inefficientBytes: a.wastedBytes,
      efficiencyScore: a.efficiency,
      fileReference: a.inefficient.map((f) => ({
        count: f.count,
        sizeBytes: f.cumulativeSize,
        file: f.path,
        appearances: f.appearances,
      })),
      userSizeBytes: a.userSizeBytes,
      userWastedPercent: a.userWastedPercent,
      reclaimableBytes: a.reclaimableBytes,
      hiddenFiles: a.hidden.slice().map((h) => ({ file: h.path, sizeBytes: h.size, writtenByLayer: h.writtenBy, hiddenByLayer: h.hiddenBy, how: h.how })),
      id: image.id,
      platform: [image.config.os, image.config.architecture, image.config.variant].filter(Boolean).join('/'),
    },
    /** How the image arrived: differs between a file, an engine's API and `podman save` for the same image. */
    source: {
      ref: image.source,
      tags: image.tags,
      layout: image.layout,
      ...(image.manifestDigest ? { manifestDigest: image.manifestDigest } : {}),
      layerBlobs: image.layers.map((l) => l.archivePath),
      notes: image.notes,
    },
  };
}

/** dive 0.12 trims only `/bin/sh -c ` from created_by (`#(nop) COPY …` stays), and says `(missing)` without history. */
function diveCommand(createdBy: string | undefined): string {
  return createdBy === undefined ? '(missing)' : createdBy.replace(/^\/bin\/sh -c /, '');
}
