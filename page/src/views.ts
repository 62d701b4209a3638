import { diffView } from './diffView.js';
import type { Tree } from './tree.js';

/**
 * A way of looking at the tree: which column is the area, which layer colours a node, what is hatched. Layout,
 * zoom, hover, keyboard and the table are the same for every view; a diff view (HEAD coloured by change, removed
 * paths as ghost area from `baseSize`) is one more entry here.
 */
export interface View {
  readonly id: string;
  readonly label: string;
  /** One line under the map: what area and colour mean. */
  readonly legend: string;
  /** Bytes of the node's subtree in this view. */
  area(i: number): number;
  /** The layer whose colour the node takes; -1 for none. */
  colourLayer(i: number): number;
  /** A colour of the view's own instead of the layer's (the diff colours by change). */
  colour?(i: number): string;
  hatched(i: number): boolean;
  readonly total: number;
}

export function makeViews(tree: Tree): View[] {
  const c = tree.cols;
  const final: View = {
    id: 'final',
    label: 'Final filesystem',
    legend: 'Area: bytes the final image shows. Colour: the layer that wrote them. Hatched: files whose path also carries hidden bytes in earlier layers.',
    area: (i) => c.size[i]!,
    colourLayer: (i) => c.layer[i]!,
    hatched: (i) => !tree.isDir(i) && c.hidden[i]! > 0 && c.size[i]! > 0,
    total: c.size[0] ?? 0,
  };
  const hidden: View = {
    id: 'hidden',
    label: 'Hidden bytes',
    legend: 'Area: bytes layers carry that the final image does not show (all hatched). Colour: the layer that overwrote, deleted or hid them.',
    area: (i) => c.hidden[i]!,
    colourLayer: (i) => c.hiddenBy[i]!,
    hatched: () => true,
    total: c.hidden[0] ?? 0,
  };
  const diff = diffView(tree);
  return diff ? [diff, final, hidden] : [final, hidden];
}
