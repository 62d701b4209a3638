import type { Analysis } from '../analysis/analyzeImage.js';
import type { GateResult } from '../ci/check.js';
import type { Image } from '../model/types.js';
import type { BaseLayers } from '../analysis/baseLayers.js';

/** What every report renders from. */
export interface ReportContext {
  readonly image: Image;
  readonly analysis: Analysis;
  readonly gate: GateResult;
  readonly version: string;
  readonly base?: BaseLayers;
}

export function imageName(image: Image): string {
  return image.tags[0] ?? image.id;
}
