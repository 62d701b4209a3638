import type { LayerEntry } from '../../src/model/entryTypes.js';
import type { LayerRow } from '../../src/model/ids.js';
import type { ImageFiles } from '../../src/model/imageFiles.js';
import type { Layer } from '../../src/model/imageTypes.js';
import type { LayerEntries } from '../../src/model/layerEntries.js';

/**
 * The model as whole lists of objects, for assertions. fathom itself reads the columns and makes objects one at a
 * time; these make every object at once, which is what a test wants to compare.
 */

/** One layer's entries as objects, in tar order, labelled with layer index `layer`. */
export function entriesOf(files: LayerEntries, layer = 0): LayerEntry[] {
  const out: LayerEntry[] = [];
  for (let row = 0 as LayerRow; row < files.count; row++) out.push(files.entry(row, layer));
  return out;
}

export function layerEntries(layer: Layer): LayerEntry[] {
  return entriesOf(layer.files, layer.index);
}

/** Every path's history (entries and deletions in layer order), by path. */
export function historyMap(files: ImageFiles): Map<string, LayerEntry[]> {
  const out = new Map<string, LayerEntry[]>();
  for (const p of files.pathIds()) out.set(files.paths.path(p), files.history(p));
  return out;
}
