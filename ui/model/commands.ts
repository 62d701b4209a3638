import type { Mark } from './fileTree.js';
import { matches, type Action, type KeyBindings, type KeyPress } from './keys.js';
import { ANALYSING, overlayItems } from './overlayItems.js';
import {
  cursorRow,
  jumpTo,
  moveCursor,
  selectLayer,
  setFilter,
  setSearch,
  stepSearch,
  toggleCollapse,
  toggled,
  type BrowserContext,
  type BrowserState,
  type Focus,
  type NodeId,
} from './browserState.js';

/** Keys that are not rebindable: Esc backs out, Enter confirms, Backspace erases. */
export type FixedKey = 'escape' | 'return' | 'backspace';
/** What a table row answers to: a rebindable action (see keys.ts) or a fixed key. */
export type Trigger = Action | `key:${FixedKey}`;

/**
 * One key's effect: the next state, made from the current one (never changed in place). `undefined` means the
 * command does not apply in this state, and the key goes on down the table.
 */
export type Command = (ctx: BrowserContext, s: BrowserState, k: KeyPress) => BrowserState | undefined;
export type CommandTable = Readonly<Partial<Record<Trigger, Command>>>;

/** Where keys go: the filter prompt and overlays take them first, otherwise the focused pane does. */
export type ModeName = 'filter' | 'search' | 'overlay' | Focus;

export interface Mode {
  /** Tried in order, rows in the order written: the first row whose trigger the key matches and that applies runs. */
  readonly tables: readonly CommandTable[];
  /** For a key no row takes (typing into the filter). */
  readonly otherKey?: Command;
  /** Applied before every key (a message stays until the next key). */
  readonly onKey?: (s: BrowserState) => BrowserState;
}

export function modeOf(s: BrowserState): ModeName {
  if (s.filterEditing) return 'filter';
  if (s.searchEditing) return 'search';
  if (s.overlay !== 'none') return 'overlay';
  return s.focus;
}

export function triggeredBy(keys: KeyBindings, trigger: Trigger, k: KeyPress): boolean {
  return trigger.startsWith('key:') ? k.name === trigger.slice(4) : matches(keys, trigger as Action, k);
}

const openOverlay = (overlay: BrowserState['overlay']): Command => (_, s) => ({ ...s, overlay, overlayCursor: 0 });
const closeOverlay: Command = (_, s) => ({ ...s, overlay: 'none' });
const toggleHidden = (mark: Mark): Command => (ctx, s) => moveCursor(ctx, { ...s, hide: toggled(s.hide, mark) }, s.cursor);
const withRow =
  (run: (ctx: BrowserContext, s: BrowserState, row: NonNullable<ReturnType<typeof cursorRow>>) => BrowserState | undefined): Command =>
  (ctx, s) => {
    const row = cursorRow(ctx, s);
    return row ? run(ctx, s, row) : s;
  };

/** The overlay's cursor moved by `by` lines, kept on its items (help has none: its cursor is its scroll). */
const overlayMove = (ctx: BrowserContext, s: BrowserState, by: number): BrowserState => {
  const length = overlayItems(ctx.input, s, ctx.keys).length;
  // help is read, not picked from: its cursor is the first line shown, and it stops when the last line is in view
  const last = Math.max(0, s.overlay === 'help' ? length - s.treeHeight : length - 1);
  return { ...s, overlayCursor: Math.max(0, Math.min(last, s.overlayCursor + by)) };
};

/** In either pane. */
const ANYWHERE: CommandTable = {
  quit: (_, s) => ({ ...s, quit: true }),
  help: openOverlay('help'),
  toggleFocus: (_, s) => ({ ...s, focus: s.focus === 'layers' ? 'tree' : 'layers' }),
  filter: (_, s) => ({ ...s, filterEditing: true, focus: 'tree' }),
  search: (_, s) => ({ ...s, searchEditing: true, search: '', searchError: undefined, searchOrigin: { collapsed: s.collapsed, cursor: s.cursor, top: s.top }, focus: 'tree' }),
  searchNext: (ctx, s) => stepSearch(ctx, s, 1),
  searchPrevious: (ctx, s) => stepSearch(ctx, s, -1),
  'key:escape': (ctx, s) => (s.filter !== '' ? setFilter(ctx, s, '') : undefined),
  sortToggle: (_, s) => ({ ...s, sort: s.sort === 'size' ? 'name' : 'size' }),
  sortSize: (_, s) => ({ ...s, sort: 'size' }),
  attributes: (_, s) => ({ ...s, showAttributes: !s.showAttributes }),
  treeGuideLines: (_, s) => ({ ...s, treeGuideLines: !s.treeGuideLines }),
  wrapTree: (_, s) => ({ ...s, wrapTree: !s.wrapTree }),
  waste: (ctx, s) => {
    if (!ctx.input.analysis) return { ...s, message: `${ANALYSING} (the waste is known once the image details show)` };
    const top = ctx.input.analysis.hidden.at(0);
    if (!top) return { ...s, message: 'no wasted bytes: every layer byte is visible in the final image' };
    const { state } = jumpTo(ctx, s, top.path, top.writtenBy);
    return { ...state, message: `${top.path}: ${top.size} bytes written by layer ${top.writtenBy}, ${top.how} by layer ${top.hiddenBy} — W lists all` };
  },
  wasteList: openOverlay('waste'),
  findings: openOverlay('findings'),
};

const LAYERS_PANE: CommandTable = {
  up: (ctx, s) => selectLayer(ctx, s, s.layer - 1),
  down: (ctx, s) => selectLayer(ctx, s, s.layer + 1),
  pageUp: (ctx, s) => selectLayer(ctx, s, s.layer - 10),
  pageDown: (ctx, s) => selectLayer(ctx, s, s.layer + 10),
  compareAll: (_, s) => ({ ...s, compare: 'aggregated' }),
  compareLayer: (_, s) => ({ ...s, compare: 'layer' }),
  compareBase: (ctx, s) => (ctx.input.against ? { ...s, compare: 'base' } : undefined),
};

const FILES_PANE: CommandTable = {
  hideAdded: toggleHidden('added'),
  hideRemoved: toggleHidden('removed'),
  hideModified: toggleHidden('modified'),
  hideUnmodified: toggleHidden('unmodified'),
  up: (ctx, s) => moveCursor(ctx, s, s.cursor - 1),
  down: (ctx, s) => moveCursor(ctx, s, s.cursor + 1),
  pageUp: (ctx, s) => moveCursor(ctx, s, s.cursor - s.treeHeight),
  pageDown: (ctx, s) => moveCursor(ctx, s, s.cursor + s.treeHeight),
  collapseAll: (ctx, s) => {
    const collapsed = s.collapsed.size > 0 ? new Set<NodeId>() : new Set(ctx.tree.root.children.filter((n) => n.children.length > 0).map((n) => n.id));
    return { ...s, collapsed, cursor: 0, top: 0 };
  },
  collapse: withRow((ctx, s, row) => (row.hasChildren ? moveCursor(ctx, toggleCollapse(s, row.node), s.cursor) : undefined)),
  left: withRow((ctx, s, row) => {
    if (row.hasChildren && !row.collapsed) return toggleCollapse(s, row.node);
    const parent = row.node.parent;
    const index = parent && parent.id !== 0 ? ctx.treeView(s).indexOf(parent) : -1;
    return index >= 0 ? moveCursor(ctx, s, index) : s;
  }),
  right: withRow((_, s, row) => (row.hasChildren && row.collapsed ? toggleCollapse(s, row.node) : undefined)),
  history: withRow((_, s, row) => ({ ...s, overlay: 'history', overlayCursor: 0, historyPath: row.node.path })),
  // the model only says what to copy; the terminal side (runTui) writes it out as OSC 52
  copyPath: withRow((_, s, row) => ({ ...s, copy: { text: row.node.path }, message: `copied ${row.node.path} (OSC 52)` })),
};

const OVERLAY: CommandTable = {
  'key:escape': closeOverlay,
  quit: closeOverlay,
  help: (ctx, s, k) => (s.overlay === 'help' ? closeOverlay(ctx, s, k) : undefined),
  up: (ctx, s) => overlayMove(ctx, s, -1),
  down: (ctx, s) => overlayMove(ctx, s, 1),
  pageUp: (ctx, s) => overlayMove(ctx, s, -s.treeHeight),
  pageDown: (ctx, s) => overlayMove(ctx, s, s.treeHeight),
  'key:return': (ctx, s) => {
    const item = s.overlay === 'help' ? undefined : overlayItems(ctx.input, s, ctx.keys)[s.overlayCursor];
    const closed: BrowserState = { ...s, overlay: 'none' };
    if (!item?.path) return closed;
    const { state, found } = jumpTo(ctx, closed, item.path, item.layer);
    return found ? state : { ...state, message: `${item.path} is not in the tree at this layer` };
  },
};

const FILTER_PROMPT: CommandTable = {
  // a ctrl chord bound to quit (ctrl+c) quits from the prompt too, as in dive; a plain letter is typed
  quit: (_, s, k) => (k.ctrl ? { ...s, quit: true } : undefined),
  'key:escape': (_, s) => ({ ...s, filter: '', filterEditing: false, filterError: undefined }),
  'key:return': (_, s) => ({ ...s, filterEditing: false }),
  'key:backspace': (ctx, s) => setFilter(ctx, s, s.filter.slice(0, -1)),
};

const SEARCH_PROMPT: CommandTable = {
  quit: (_, s, k) => (k.ctrl ? { ...s, quit: true } : undefined),
  // back where the prompt opened, as in less and vim
  'key:escape': (_, s) => ({ ...s, ...s.searchOrigin, search: '', searchEditing: false, searchError: undefined, searchOrigin: undefined, message: undefined }),
  // the search stays for n and N, and so does the count
  'key:return': (_, s) => ({ ...s, searchEditing: false, searchOrigin: undefined }),
  'key:backspace': (ctx, s) => setSearch(ctx, s, s.search.slice(0, -1)),
};

/** A printable key typed into a prompt. */
const typed = (k: KeyPress): string | undefined => (k.input && !k.ctrl && !k.meta ? k.input : undefined);

const clearMessage = (s: BrowserState): BrowserState => (s.message === undefined ? s : { ...s, message: undefined });

export const MODES: Readonly<Record<ModeName, Mode>> = {
  filter: { tables: [FILTER_PROMPT], otherKey: (ctx, s, k) => (typed(k) === undefined ? s : setFilter(ctx, s, s.filter + typed(k))) },
  search: { tables: [SEARCH_PROMPT], otherKey: (ctx, s, k) => (typed(k) === undefined ? s : setSearch(ctx, s, s.search + typed(k))) },
  overlay: { tables: [OVERLAY] },
  layers: { tables: [ANYWHERE, LAYERS_PANE], onKey: clearMessage },
  tree: { tables: [ANYWHERE, FILES_PANE], onKey: clearMessage },
};
