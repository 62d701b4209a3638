import type { Image } from '../model/imageTypes.js';

/** Which layers came from the base image, and how that was decided. */
export interface BaseLayers {
  /** Layers 0..count-1 are the base image's. */
  readonly count: number;
  readonly method: 'base-image' | 'history' | 'first-layer';
  /** The base image's name from org.opencontainers.image.base.name, when the image carries it. */
  readonly baseName?: string;
  readonly detail: string;
}

const CMD_LIKE = /(^|\s|#\(nop\)\s*)(CMD|ENTRYPOINT)\b/;

/**
 * `--base IMAGE`: the layers shared with the base, exactly by diff_id. Otherwise the history heuristic: a base
 * image's history ends with its CMD/ENTRYPOINT (an empty layer), so the base is every layer before the last such
 * item that still has layers after it. Failing both, layer 0 alone (dive's split of "user" bytes).
 */
export function detectBaseLayers(image: Image, base?: Image): BaseLayers {
  if (base) {
    let n = 0;
    while (n < image.layers.length && n < base.layers.length && image.layers[n]!.diffId === base.layers[n]!.diffId) n++;
    return { count: n, method: 'base-image', detail: `${n} layer(s) shared with ${base.tags[0] ?? base.id} by diff_id` };
  }
  // annotations name the base but cannot count its layers: the split still comes from the history
  const baseName =
    image.manifestAnnotations['org.opencontainers.image.base.name'] ??
    image.indexAnnotations['org.opencontainers.image.base.name'] ??
    image.config.labels['org.opencontainers.image.base.name'];
  const named = baseName ? { baseName } : {};
  const by = baseName ? ` (base ${baseName}, from its annotation)` : '';
  let layersSoFar = 0;
  let candidate = -1;
  for (const h of image.history) {
    if (!h.emptyLayer) {
      layersSoFar++;
      continue;
    }
    if (CMD_LIKE.test(h.createdBy) && layersSoFar > 0 && layersSoFar < image.layers.length) candidate = layersSoFar;
  }
  if (candidate > 0) {
    return { count: candidate, method: 'history', ...named, detail: `history: the base image's CMD/ENTRYPOINT follows layer ${candidate - 1}${by}` };
  }
  return { count: Math.min(1, image.layers.length), method: 'first-layer', ...named, detail: `no layer split in the history: layer 0 taken as the base${by}` };
}
