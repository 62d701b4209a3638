import type { BrowserInput, BrowserState } from './browserState.js';

export interface OverlayItem {
  readonly text: string;
  /** Where Enter jumps, if anywhere. */
  readonly path?: string;
  readonly layer?: number;
}

/** The entries of the waste and findings overlays: what they list and where Enter jumps. */
export function overlayItems(input: BrowserInput, s: BrowserState): OverlayItem[] {
  if (s.overlay === 'waste') {
    return input.analysis.hidden.slice(0, 200).map((h) => ({
      text: `${h.path}: ${h.size} bytes written by layer ${h.writtenBy}, ${h.how} by layer ${h.hiddenBy}`,
      path: h.path,
      layer: h.writtenBy,
    }));
  }
  if (s.overlay === 'findings') {
    return input.checks
      .filter((c) => c.status === 'FAIL' || c.status === 'WARN')
      .flatMap((c) =>
        c.locations.length === 0
          ? [{ text: `${c.status} ${c.id}: ${c.message}` }]
          : c.locations.map((l) => ({
              text: `${c.status} ${c.id}: ${l.path ?? l.configField ?? ''}${l.layer !== undefined ? ` (layer ${l.layer})` : ''}`,
              ...(l.path ? { path: l.path } : {}),
              ...(l.layer !== undefined ? { layer: input.image.layers.length - 1 } : {}),
            })),
      );
  }
  return [];
}
