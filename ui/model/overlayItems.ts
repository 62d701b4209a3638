import type { BrowserInput, BrowserState } from './browserState.js';
import { ACTION_HELP, type Action, type KeyBindings } from './keys.js';
import { fileHistory, type HistoryStep } from './fileHistory.js';
import { modeString } from './modeString.js';

export interface OverlayItem {
  readonly text: string;
  /** Where Enter jumps, if anywhere. */
  readonly path?: string;
  readonly layer?: number;
}

/** What a pane that needs the review shows while it runs (just after the first frame). */
export const ANALYSING = 'analysing…';

/** Help: every action with the keys bound to it now (a rebinding shows; an action bound to nothing says so). */
export function helpLines(keys: KeyBindings): OverlayItem[] {
  return (Object.keys(ACTION_HELP) as Action[]).map((a) => ({ text: `${(keys[a].length > 0 ? keys[a].join(', ') : '(unbound)').padEnd(18)} ${ACTION_HELP[a]}` }));
}

/** A path's history as lines: layer, what it did, size, mode, owner, the layer's command or Dockerfile line. */
export function historyLines(input: BrowserInput, path: string): OverlayItem[] {
  const files = input.image.files;
  const pathId = files.paths.lookup(path);
  if (pathId < 0) return [];
  return fileHistory(files, input.image.layers, pathId, input.instructions).map((h) => ({ text: historyText(h), path, layer: h.layer }));
}

function historyText(h: HistoryStep): string {
  const attrs = h.mode === undefined ? ''.padEnd(33) : `${String(h.size ?? 0).padStart(10)}  ${modeString(h.kind ?? 'file', h.mode)}  ${`${h.uid}:${h.gid}`.padEnd(9)}`;
  const why = h.instruction ? `Dockerfile:${h.instruction.line} ${h.instruction.op} ${h.instruction.text}` : h.command;
  return `${String(h.layer).padStart(3)}  ${h.action.padEnd(21)} ${attrs}  ${why}`;
}

/** The entries of the help, waste and findings overlays: what they list and where Enter jumps. */
export function overlayItems(input: BrowserInput, s: BrowserState, keys: KeyBindings): OverlayItem[] {
  if (s.overlay === 'help') return helpLines(keys);
  if (s.overlay === 'history') return historyLines(input, s.historyPath);
  if (s.overlay === 'waste') {
    if (!input.analysis) return [{ text: ANALYSING }];
    return input.analysis.hidden.slice(0, 200).map((h) => ({
      text: `${h.path}: ${h.size} bytes written by layer ${h.writtenBy}, ${h.how} by layer ${h.hiddenBy}`,
      path: h.path,
      layer: h.writtenBy,
    }));
  }
  if (s.overlay === 'findings') {
    if (!input.checks) return [{ text: ANALYSING }];
    return input.checks
      .filter((c) => c.status === 'FAIL' || c.status === 'WARN')
      .flatMap((c) =>
        c.locations.length === 0
          ? [{ text: `${c.status} ${c.id}: ${c.message}` }]
          : c.locations.map((l) => ({
              // a finding on a path names the path; one on the image or a config field says why it fired
              text: l.path
                ? `${c.status} ${c.id}: ${l.path}${l.layer !== undefined ? ` (layer ${l.layer})` : ''}`
                : `${c.status} ${c.id}: ${l.configField && l.configField !== 'image' ? `${l.configField}: ` : ''}${c.message}`,
              ...(l.path ? { path: l.path } : {}),
              ...(l.layer !== undefined ? { layer: input.image.layers.length - 1 } : {}),
            })),
      );
  }
  return [];
}
