import type { Instruction } from '../../src/dockerfile/parseDockerfile.js';
import type { EntryId, PathId } from '../../src/model/ids.js';
import type { ImageFiles } from '../../src/model/imageFiles.js';
import type { Layer } from '../../src/model/imageTypes.js';
import { isFileKind, Kind, kindName, type FileKind } from '../../src/model/kinds.js';

/** What one layer did to a path. */
export type HistoryAction = 'added' | 'modified' | 'chmod' | 'rewritten identically' | 'deleted' | 'deleted with its dir' | 'hidden by opaque dir';

export interface HistoryStep {
  readonly layer: number;
  readonly action: HistoryAction;
  /** The entry the layer wrote (none for a deletion). */
  readonly kind?: FileKind;
  readonly size?: number;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly command: string;
  /** With --dockerfile: the instruction that made the layer. */
  readonly instruction?: Instruction;
}

/**
 * Every layer that touched a path, in layer order: what each entry for it did against the one it replaced (added,
 * content changed, only mode or owner changed, the same bytes written again), its whiteouts, and the layers that hid
 * it without naming it (a whiteout of a parent directory, an opaque directory). Read from the image's per-path
 * history, so it costs the path's entries, not the image's.
 */
export function fileHistory(files: ImageFiles, layers: readonly Layer[], pathId: PathId, instructions?: ReadonlyArray<Instruction | undefined>): HistoryStep[] {
  const steps: HistoryStep[] = [];
  const at = (layer: number) => ({ layer, command: layers[layer]?.command.replace(/\s+/g, ' ') ?? '', ...(instructions?.[layer] ? { instruction: instructions[layer] } : {}) });
  let current: EntryId | undefined;
  const whiteoutLayers = new Set<number>();
  const hiders = new Map<number, HistoryAction>();
  for (let id = files.first(pathId); id >= 0; id = files.next(id)) {
    const layer = files.layerOf(id);
    const kind = files.kind(id);
    if (kind === Kind.whiteout) {
      whiteoutLayers.add(layer);
      // an opaque directory's hiding is recorded as a whiteout the model made (synthetic) for each path it hides
      const w = files.entry(id);
      steps.push({ ...at(layer), action: w.type === 'whiteout' && w.synthetic ? 'hidden by opaque dir' : 'deleted' });
      current = undefined;
      continue;
    }
    if (!isFileKind(kind)) continue;
    const entry = { kind: kindName(kind) as FileKind, size: kind === Kind.dir ? 0 : files.size(id), mode: files.mode(id), uid: files.uid(id), gid: files.gid(id) };
    steps.push({ ...at(layer), ...entry, action: changeOf(files, current, id) });
    current = id;
    const hiddenBy = files.hiddenBy(id);
    const e = files.entry(id);
    const how = e.type === 'entry' ? e.hiddenHow : undefined;
    if (how === 'opaque') hiders.set(hiddenBy, 'hidden by opaque dir');
    else if (how === 'deleted') hiders.set(hiddenBy, 'deleted with its dir');
    if (how === 'opaque' || how === 'deleted') current = undefined;
  }
  for (const [layer, action] of hiders) if (!whiteoutLayers.has(layer)) steps.push({ ...at(layer), action });
  return steps.sort((a, b) => a.layer - b.layer);
}

function changeOf(files: ImageFiles, before: EntryId | undefined, now: EntryId): HistoryAction {
  if (before === undefined) return 'added';
  // the bytes alone (the model's sameContent also compares mode and owner, which is what tells chmod apart)
  const sameBytes = files.kind(before) === files.kind(now) && files.size(before) === files.size(now) && files.contentHash(before) === files.contentHash(now) && files.link(before) === files.link(now);
  if (!sameBytes) return 'modified';
  const same = files.mode(before) === files.mode(now) && files.uid(before) === files.uid(now) && files.gid(before) === files.gid(now);
  return same ? 'rewritten identically' : 'chmod';
}
