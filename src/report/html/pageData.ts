/**
 * The JSON the CLI embeds in the HTML report and the page reads: the one contract between src/report/html/ (Node)
 * and page/ (the browser). Types only, so both sides compile it (the page with the DOM library, without Node's).
 *
 * The tree is columnar (one array per field, nodes in depth-first pre-order) because a 162k-entry image must fit in
 * a few MB: a node costs its name and a handful of small integers. Columns are per node and named for what they
 * measure; a view on the page picks one column as the area and one as the colour. A comparison of two images
 * (`kind: 'diff'`, a later addition) keeps every field here for HEAD and adds the optional `diff` parts below:
 * the tree becomes the union of both images' paths, removed paths have `size` 0 and a `baseSize`, and the page adds
 * a view whose area is `size || baseSize` (ghost area for what was removed) coloured by `change`.
 */

export const PAGE_DATA_VERSION = 1;

/** `kind` column. */
export const NODE_DIR = 0;
export const NODE_FILE = 1;
/** Files too small to draw at the top level, merged per directory ("N small files"); `name` is empty. */
export const NODE_SMALL = 2;

/** `how` column: why the node's largest hidden bytes are not visible (0 when it has none). */
export const HOW_NAMES = ['', 'overwritten', 'deleted', 'hidden by an opaque directory', 'a duplicate entry of the same layer'] as const;

/** `change` column of a diff: what HEAD did to the path (a directory with changes below it is MODIFIED). */
export const CHANGE_SAME = 0;
export const CHANGE_ADDED = 1;
export const CHANGE_MODIFIED = 2;
export const CHANGE_REMOVED = 3;

export interface TreeColumns {
  /** Base names; node 0 is `/` and its name is empty, so are aggregates'. */
  readonly name: readonly string[];
  /** How many children each node has: with the pre-order this is the whole shape. */
  readonly kids: readonly number[];
  readonly kind: readonly number[];
  /** Bytes of the subtree the final filesystem shows. */
  readonly size: readonly number[];
  /** The layer that wrote the visible bytes (a directory or aggregate: the layer that wrote most of them); -1 none. */
  readonly layer: readonly number[];
  /** Visible regular files in the subtree (an aggregate: how many it stands for). */
  readonly files: readonly number[];
  /** Bytes layers carry at or below this path that the final filesystem does not show. */
  readonly hidden: readonly number[];
  /** Hidden entries with a size in the subtree. */
  readonly hiddenFiles: readonly number[];
  /** The layer that wrote most of the hidden bytes; -1 none. */
  readonly hiddenFrom: readonly number[];
  /** The layer that overwrote, deleted or hid most of them; -1 none. */
  readonly hiddenBy: readonly number[];
  /** HOW_NAMES index for the largest hidden entry (files and aggregates; 0 elsewhere). */
  readonly how: readonly number[];
  /** diff: BASE's bytes of the subtree, and CHANGE_* per node. */
  readonly baseSize?: readonly number[];
  readonly change?: readonly number[];
}

export interface TreeFacts {
  readonly nodes: number;
  /** Files smaller than this (visible bytes) and than `hiddenThreshold` are merged per directory. */
  readonly sizeThreshold: number;
  readonly hiddenThreshold: number;
  /** Directories folded into their parent's aggregate because the tree was over its node budget (usually 0). */
  readonly foldedDirs: number;
}

export interface ImageSummary {
  readonly name: string;
  readonly id: string;
  readonly source: string;
  readonly platform: string;
  readonly created?: string;
  readonly sizeBytes: number;
  readonly userSizeBytes: number;
  /** Bytes the final filesystem shows: the treemap's total. */
  readonly visibleBytes: number;
  readonly efficiency: number;
  readonly wastedBytes: number;
  readonly userWastedPercent: number;
  readonly reclaimableBytes: number;
  readonly files: number;
  readonly baseLayers: number;
  readonly baseDetail: string;
  readonly dockerfile?: string;
}

export interface LayerRow {
  readonly index: number;
  readonly digest: string;
  /** dive's layer size: Σ of the tar headers' sizes. */
  readonly size: number;
  /** Bytes of this layer still visible at the top. */
  readonly visible: number;
  /** Bytes of this layer a later layer overwrote, deleted or hid. */
  readonly hidden: number;
  readonly command: string;
  readonly base: boolean;
  /** The Dockerfile instruction that made this layer, when `--dockerfile` was given and it could be matched. */
  readonly dockerfileLine?: number;
  readonly dockerfileText?: string;
}

export type Status = 'PASS' | 'FAIL' | 'WARN' | 'SKIP';

export interface LocationRow {
  readonly path?: string;
  readonly configField?: string;
  readonly layer?: number;
  /** The tree node that shows the path (the path itself, its aggregate, or the nearest ancestor); -1 none. */
  readonly node: number;
  /** The node is the path itself (not an ancestor standing in for a path with no bytes). */
  readonly exact: boolean;
}

export interface CheckRow {
  readonly id: string;
  readonly title: string;
  readonly status: Status;
  readonly message: string;
  readonly locations: readonly LocationRow[];
  /** Locations left out of the page (a rule may name thousands of paths). */
  readonly moreLocations: number;
  readonly help?: string;
}

export interface HiddenRow {
  readonly path: string;
  readonly size: number;
  readonly writtenBy: number;
  readonly hiddenBy: number;
  readonly how: number;
  readonly node: number;
}

/** One row of a diff's layer alignment: a layer of BASE, of HEAD, or both (the shared prefix). */
export interface AlignmentRow {
  readonly diffId: string;
  readonly base?: number;
  readonly head?: number;
  readonly state: 'shared' | 'base-only' | 'head-only' | 'elsewhere';
  readonly size: number;
  readonly storedSize: number;
  readonly command: string;
}

/** What a diff page adds to HEAD's page. */
export interface DiffFacts {
  readonly base: { readonly name: string; readonly id: string; readonly sizeBytes: number; readonly layers: number };
  readonly sizeDelta: number;
  readonly pullBytes: number;
  readonly alignment: readonly AlignmentRow[];
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly moved: number;
  readonly startRegression: boolean;
  readonly newFindings: number;
  readonly fixedFindings: number;
}

export interface PageData {
  readonly v: typeof PAGE_DATA_VERSION;
  /** `diff`: HEAD's page with the tree as the union of both images' paths and the `diff` facts. */
  readonly kind: 'image' | 'diff';
  readonly diff?: DiffFacts;
  readonly generator: string;
  readonly image: ImageSummary;
  readonly verdict: 'PASS' | 'FAIL';
  readonly tally: { readonly total: number; readonly pass: number; readonly fail: number; readonly warn: number; readonly skip: number };
  readonly layers: readonly LayerRow[];
  readonly tree: TreeColumns;
  readonly treeFacts: TreeFacts;
  readonly checks: readonly CheckRow[];
  /** The largest hidden entries (the reclaimable bytes' "why"), largest first. */
  readonly largestHidden: readonly HiddenRow[];
  readonly hiddenCount: number;
  readonly notes: readonly string[];
}
