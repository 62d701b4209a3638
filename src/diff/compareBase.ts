import type { BaseLayers } from '../analysis/baseLayers.js';
import type { DockerfileInfo } from '../dockerfile/parseDockerfile.js';
import type { Image } from '../model/imageTypes.js';
import type { LayerAlignment } from './alignLayers.js';

export interface BaseSide {
  /** Layers 0..layers-1 are the base image's. */
  readonly layers: number;
  readonly method: BaseLayers['method'];
  /** org.opencontainers.image.base.name (annotation or label), when given. */
  readonly name?: string;
  readonly digest?: string;
  /** The final stage's FROM of the Dockerfile given for this side. */
  readonly from?: string;
}

export interface BaseComparison {
  readonly base: BaseSide;
  readonly head: BaseSide;
  readonly changed: boolean;
  /** Why it is taken as changed (or the same). */
  readonly detail: string;
}

const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

function annotation(image: Image, key: string): string | undefined {
  return image.manifestAnnotations[key] ?? image.indexAnnotations[key] ?? image.config.labels[key];
}

function sideOf(image: Image, split: BaseLayers, dockerfile?: DockerfileInfo): BaseSide {
  const name = annotation(image, BASE_NAME);
  const digest = annotation(image, BASE_DIGEST);
  const froms = dockerfile?.froms ?? [];
  const last = froms[froms.length - 1];
  return {
    layers: split.count,
    method: split.method,
    ...(name ? { name } : {}),
    ...(digest ? { digest } : {}),
    ...(last ? { from: last.image } : {}),
  };
}

/**
 * Whether HEAD is built on another base than BASE: from the Dockerfiles' FROM lines when both are given, the base
 * annotations when both images carry them, and always from the layers — a base layer of either side that is not
 * in the shared prefix means the base moved (a new tag, a rebuilt digest).
 */
export function compareBase(
  base: { image: Image; split: BaseLayers; dockerfile?: DockerfileInfo },
  head: { image: Image; split: BaseLayers; dockerfile?: DockerfileInfo },
  layers: LayerAlignment,
): BaseComparison {
  const b = sideOf(base.image, base.split, base.dockerfile);
  const h = sideOf(head.image, head.split, head.dockerfile);
  const reasons: string[] = [];
  if (b.from !== undefined && h.from !== undefined && b.from !== h.from) reasons.push(`FROM ${b.from} → FROM ${h.from}`);
  if (b.name !== undefined && h.name !== undefined && b.name !== h.name) reasons.push(`base name ${b.name} → ${h.name}`);
  if (b.digest !== undefined && h.digest !== undefined && b.digest !== h.digest) reasons.push(`base digest ${b.digest} → ${h.digest}`);
  const baseLayers = Math.max(b.layers, h.layers);
  if (layers.shared < baseLayers) reasons.push(`the images share ${layers.shared} layer(s), the base has ${baseLayers}`);
  const changed = reasons.length > 0;
  const detail = changed ? reasons.join('; ') : `the same base: ${layers.shared} shared layer(s)${h.name ? ` (${h.name})` : ''}`;
  return { base: b, head: h, changed, detail };
}
