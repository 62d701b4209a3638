import type { Analysis } from '../analysis/analyzeImage.js';
import type { GateResult } from '../ci/check.js';
import type { Image } from '../model/imageTypes.js';
import type { BaseLayers } from '../analysis/baseLayers.js';
import type { DockerfileInfo } from '../dockerfile/parseDockerfile.js';
import { findingLines } from '../dockerfile/findingLines.js';
import type { CheckLocation } from '../ci/check.js';

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

/** Each finding's Dockerfile line, when there is a Dockerfile (--dockerfile, or one found in the working directory). */
export function dockerfileLineOf(ctx: ReportContext): ((l: CheckLocation) => number | undefined) | undefined {
  return ctx.dockerfile ? findingLines(ctx.image, ctx.dockerfile, ctx.base?.count ?? 0) : undefined;
}

export function imageName(image: Image): string {
  return image.tags[0] ?? image.id;
}
