import type { Analysis } from '../../src/analysis/analyzeImage.js';
import type { BaseLayers } from '../../src/analysis/baseLayers.js';
import { MergedTree } from '../../src/analysis/mergedTree.js';
import type { DockerfileInfo } from '../../src/dockerfile/parseDockerfile.js';
import type { Image } from '../../src/model/imageTypes.js';
import type { LayerRef, RuleContext } from './types.js';

export function buildRuleContext(image: Image, analysis: Analysis, base: BaseLayers, dockerfile?: DockerfileInfo): RuleContext {
  const tree = new MergedTree(image);
  const refs = image.layers.map(
    (l): LayerRef => ({ index: l.index, digest: l.digest, command: l.command, base: l.index < base.count }),
  );
  return {
    image,
    analysis,
    tree,
    base,
    ...(dockerfile ? { dockerfile } : {}),
    layerRef: (i: number) => refs[i] ?? { index: i, digest: '', command: '', base: false },
  };
}
