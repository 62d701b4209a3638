import type { Analysis } from '../../src/analysis/analyzeImage.js';
import type { Instruction } from '../../src/dockerfile/parseDockerfile.js';
import type { Check } from '../../src/ci/check.js';
import type { ImageFiles } from '../../src/model/imageFiles.js';
import type { Image } from '../../src/model/imageTypes.js';
import type { FileTree, Mark, TreeNode } from './fileTree.js';
import type { KeyBindings } from './keys.js';
import { stepMatch, type SearchMatches } from './search.js';
import type { Row, SortOrder, TreeView } from './treeView.js';

export type Focus = 'layers' | 'tree';
/** `base`: against BASE's final filesystem (`fathom diff`). */
export type Compare = 'layer' | 'aggregated' | 'base';
export type Overlay = 'none' | 'help' | 'waste' | 'findings' | 'history';
export type NodeId = TreeNode['id'];

/** Everything the screen shows, as plain data that is replaced, never changed: the components only draw it. */
export interface BrowserState {
  readonly focus: Focus;
  readonly layer: number;
  readonly compare: Compare;
  readonly hide: ReadonlySet<Mark>;
  readonly filter: string;
  readonly filterEditing: boolean;
  readonly filterError: string | undefined;
  /** The search (`/`): a regular expression the cursor jumps between the matches of, with the whole tree in view. */
  readonly search: string;
  readonly searchEditing: boolean;
  readonly searchError: string | undefined;
  /** Where the cursor and the folds were when the search prompt opened: each key typed searches from there. */
  readonly searchOrigin: SearchOrigin | undefined;
  readonly sort: SortOrder;
  /** Directories folded in the file tree, by node id. */
  readonly collapsed: ReadonlySet<NodeId>;
  readonly cursor: number;
  readonly top: number;
  /** Rows the file tree pane shows, for the keys that page and scroll: the terminal's size flows in as `resize`. */
  readonly treeHeight: number;
  readonly showAttributes: boolean;
  /** dive's guide lines in the file tree (`├── `, `└── `, `│   `) instead of plain indentation. */
  readonly treeGuideLines: boolean;
  /** Long file tree lines wrap onto the next row (dive's ctrl+p) instead of being cut. */
  readonly wrapTree: boolean;
  readonly overlay: Overlay;
  readonly overlayCursor: number;
  /** The path the history overlay is about. */
  readonly historyPath: string;
  readonly message: string | undefined;
  /** The last text to copy to the clipboard: a new object for each copy, which the terminal side writes out. */
  readonly copy: { readonly text: string } | undefined;
  readonly quit: boolean;
}

export type SearchOrigin = Pick<BrowserState, 'collapsed' | 'cursor' | 'top'>;

export const INITIAL_STATE: BrowserState = {
  focus: 'layers',
  layer: 0,
  compare: 'layer',
  hide: new Set(),
  filter: '',
  filterEditing: false,
  filterError: undefined,
  search: '',
  searchEditing: false,
  searchError: undefined,
  searchOrigin: undefined,
  sort: 'size',
  collapsed: new Set(),
  cursor: 0,
  top: 0,
  treeHeight: 20,
  showAttributes: false,
  treeGuideLines: false,
  wrapTree: false,
  overlay: 'none',
  overlayCursor: 0,
  historyPath: '',
  message: undefined,
  copy: undefined,
  quit: false,
};

/** How the browser opens (dive's config file, `--dive-ui`): each is fathom's default unless given. */
export interface BrowserOptions {
  readonly sort?: SortOrder;
  readonly showAttributes?: boolean;
  /** The change kinds hidden at first (dive's `diff.hide`). */
  readonly hide?: ReadonlySet<Mark>;
  /** Every directory folded at first (dive's `filetree.collapse-dir`). */
  readonly collapseAll?: boolean;
  /** Layers compared against layer 0 at first (dive's `layer.show-aggregated-changes`). */
  readonly aggregated?: boolean;
  /** Tree guide lines as dive draws them (the `t` key toggles them afterwards). */
  readonly treeGuideLines?: boolean;
}

/** The first state: the options over INITIAL_STATE; a diff opens on HEAD's last layer marked against BASE. */
export function openingState(tree: FileTree, input: BrowserInput, o: BrowserOptions): BrowserState {
  const s: BrowserState = {
    ...INITIAL_STATE,
    ...(o.sort ? { sort: o.sort } : {}),
    ...(o.showAttributes !== undefined ? { showAttributes: o.showAttributes } : {}),
    ...(o.hide ? { hide: o.hide } : {}),
    ...(o.collapseAll ? { collapsed: new Set(tree.nodes.filter((n) => n.id !== 0 && n.children.length > 0).map((n) => n.id)) } : {}),
    ...(o.aggregated ? { compare: 'aggregated' as const } : {}),
    ...(o.treeGuideLines ? { treeGuideLines: true } : {}),
  };
  return input.against ? { ...s, layer: input.image.layers.length - 1, compare: 'base' } : s;
}

/**
 * What the review adds to the image: dive's figures and the rules' checks, the base layers. The browser may open
 * before it (the first frame needs the image alone) and show it when it comes (`Browser.reviewed`).
 */
export interface ImageReview {
  readonly analysis: Analysis;
  readonly checks: readonly Check[];
  readonly baseLayers: number;
}

/** The image and, once it is done, its review (absent while the review runs after the first frame). */
export interface BrowserInput extends Partial<ImageReview> {
  readonly image: Image;
  /** `fathom diff`: BASE, loaded into the same path table, to mark HEAD's tree against. */
  readonly against?: DiffBase;
  /** With --dockerfile: the instruction behind each layer, for a path's history. */
  readonly instructions?: ReadonlyArray<Instruction | undefined>;
}

export interface DiffBase {
  readonly name: string;
  readonly files: ImageFiles;
}

/** What a step may read besides the state: the image and the tree views derived from a state (cached by the browser). */
export interface BrowserContext {
  readonly input: BrowserInput;
  readonly tree: FileTree;
  readonly keys: KeyBindings;
  treeView(s: BrowserState): TreeView;
  /** The search's matches in the state's tree view; none while the search is empty or does not compile. */
  searchMatches(s: BrowserState): SearchMatches | undefined;
}

/**
 * The first row of a window of `height` rows over `total` rows that keeps the cursor in view, moving the window as
 * little as possible, and never past the last row: when the rows shrink (a filter, a hide flag, another layer) the
 * window slides back so it stays full rather than showing one row above empty space.
 */
export function windowTop(s: Pick<BrowserState, 'cursor' | 'top'>, height: number, total: number): number {
  let top = s.top;
  if (s.cursor < top) top = s.cursor;
  else if (s.cursor >= top + height) top = s.cursor - height + 1;
  return Math.max(0, Math.min(top, total - height));
}

/** The cursor on a row that exists and the window around it, for the rows the state's tree view has now. */
export function clampView(ctx: BrowserContext, s: BrowserState): BrowserState {
  const total = ctx.treeView(s).totalRows;
  const cursor = Math.max(0, Math.min(s.cursor, total - 1));
  const top = windowTop({ cursor, top: s.top }, s.treeHeight, total);
  return cursor === s.cursor && top === s.top ? s : { ...s, cursor, top };
}

export function resize(ctx: BrowserContext, s: BrowserState, treeHeight: number): BrowserState {
  const height = Math.max(1, treeHeight);
  return height === s.treeHeight ? s : clampView(ctx, { ...s, treeHeight: height });
}

export function cursorRow(ctx: BrowserContext, s: BrowserState): Row | undefined {
  return ctx.treeView(s).window(s.cursor, 1)[0];
}

export function moveCursor(ctx: BrowserContext, s: BrowserState, cursor: number): BrowserState {
  return clampView(ctx, { ...s, cursor });
}

export function selectLayer(ctx: BrowserContext, s: BrowserState, layer: number): BrowserState {
  const last = ctx.input.image.layers.length - 1;
  return moveCursor(ctx, { ...s, layer: Math.max(0, Math.min(layer, last)) }, s.cursor);
}

/** The regular expression's error, if it does not compile. */
function regexError(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export function setFilter(ctx: BrowserContext, s: BrowserState, filter: string): BrowserState {
  return moveCursor(ctx, { ...s, filter, filterError: regexError(filter) }, s.cursor);
}

/**
 * The search as typed so far, the cursor on its first match (as each key is typed), the count in the message. Each
 * key searches from where the prompt opened, so a directory opened for what was typed before folds again.
 */
export function setSearch(ctx: BrowserContext, s: BrowserState, search: string): BrowserState {
  const next = { ...s, ...s.searchOrigin, search, searchError: regexError(search), message: undefined };
  if (search === '' || next.searchError) return next;
  return toMatch(ctx, next, stepMatch(ctx.searchMatches(next)!, undefined, 1));
}

/** `n` (by 1) and `N` (by -1): the cursor on the next or previous match after the cursor's row, wrapping around. */
export function stepSearch(ctx: BrowserContext, s: BrowserState, by: 1 | -1): BrowserState {
  const m = ctx.searchMatches(s);
  if (!m) return { ...s, message: s.search === '' ? 'no search: / searches' : `search: ${s.searchError}` };
  return toMatch(ctx, s, stepMatch(m, cursorRow(ctx, s)?.node, by));
}

function toMatch(ctx: BrowserContext, s: BrowserState, index: number): BrowserState {
  const m = ctx.searchMatches(s)!;
  const node = m.nodes[index];
  if (!node) return { ...s, message: 'no match' };
  return { ...reveal(ctx, s, node), message: `match ${index + 1} of ${m.nodes.length}` };
}

/** The filter as a regular expression; none while it is empty or does not compile (the error is shown instead). */
export function filterRegex(s: BrowserState): RegExp | null {
  if (s.filter === '') return null;
  try {
    return new RegExp(s.filter);
  } catch {
    return null;
  }
}

export function toggled<T>(set: ReadonlySet<T>, item: T): ReadonlySet<T> {
  const out = new Set(set);
  if (!out.delete(item)) out.add(item);
  return out;
}

export function toggleCollapse(s: BrowserState, node: TreeNode): BrowserState {
  return { ...s, collapsed: toggled(s.collapsed, node.id) };
}

/**
 * Put the cursor on a path (expanding its parents, dropping filter and hide flags), e.g. to show a wasted file or a
 * finding. `found` is false when the path is not in the tree at that layer: the layer has still changed.
 */
export function jumpTo(ctx: BrowserContext, s: BrowserState, path: string, layer?: number): { state: BrowserState; found: boolean } {
  const node = ctx.tree.nodeOf(path);
  if (!node) return { state: s, found: false };
  let next = layer === undefined ? s : { ...s, layer };
  if (next.filter !== '' || next.hide.size > 0) next = { ...next, filter: '', hide: new Set() };
  const state = reveal(ctx, next, node);
  return { state, found: state !== next };
}

/** The cursor on a node the view shows, its folded ancestors opened, the files pane focused; `s` when not shown. */
function reveal(ctx: BrowserContext, s: BrowserState, node: TreeNode): BrowserState {
  let next = s;
  let collapsed: Set<NodeId> | undefined;
  for (let p = node.parent; p; p = p.parent) {
    if (!next.collapsed.has(p.id)) continue;
    collapsed ??= new Set(next.collapsed);
    collapsed.delete(p.id);
  }
  if (collapsed) next = { ...next, collapsed };
  const index = ctx.treeView(next).indexOf(node);
  if (index < 0) return s;
  return clampView(ctx, { ...next, focus: 'tree', cursor: index });
}
