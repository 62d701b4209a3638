import type { Analysis } from '../analysis/analyzeImage.js';
import type { GateResult } from '../ci/check.js';
import type { Image } from '../model/imageTypes.js';
import type { BaseLayers } from '../analysis/baseLayers.js';
import type { DockerfileInfo } from '../dockerfile/parseDockerfile.js';

/** What every report renders from. */
export interface ReportContext {
  readonly image: Image;
  readonly analysis: Analysis;
  readonly gate: GateResult;
  readonly version: string;
  readonly base?: BaseLayers;
  /** `--dockerfile`: the HTML report names the instruction behind each layer. */
  readonly dockerfile?: DockerfileInfo;
}

export function imageName(image: Image): string {
  return image.tags[0] ?? image.id;
}
