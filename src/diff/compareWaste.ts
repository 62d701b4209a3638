import type { Analysis } from '../analysis/analyzeImage.js';
import type { HiddenBytes } from '../analysis/reclaimable.js';

export interface Figure {
  readonly base: number;
  readonly head: number;
  readonly delta: number;
}

export interface WasteDiff {
  readonly efficiency: Figure;
  readonly wastedBytes: Figure;
  readonly userWastedPercent: Figure;
  readonly reclaimableBytes: Figure;
  /** Bytes HEAD's own layers (after the shared prefix) wrote or hid that its final filesystem does not show. */
  readonly introduced: {
    readonly bytes: number;
    readonly count: number;
    /** The largest of them. */
    readonly files: readonly HiddenBytes[];
  };
}

export const figure = (base: number, head: number): Figure => ({ base, head, delta: head - base });

/**
 * dive's figures and fathom's reclaimable bytes before → after, and the hidden files HEAD introduced: those a
 * layer after the shared prefix wrote or hid (a shared layer's waste is BASE's too).
 */
export function compareWaste(base: Analysis, head: Analysis, shared: number, keep = 50): WasteDiff {
  const files: HiddenBytes[] = [];
  let bytes = 0;
  let count = 0;
  for (const h of head.hidden) {
    if (h.writtenBy < shared && h.hiddenBy < shared) continue;
    bytes += h.size;
    count++;
    if (files.length < keep) files.push(h);
  }
  return {
    efficiency: figure(base.efficiency, head.efficiency),
    wastedBytes: figure(base.wastedBytes, head.wastedBytes),
    userWastedPercent: figure(base.userWastedPercent, head.userWastedPercent),
    reclaimableBytes: figure(base.reclaimableBytes, head.reclaimableBytes),
    introduced: { bytes, count, files },
  };
}
