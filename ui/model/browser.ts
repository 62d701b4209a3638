import { baseState } from './diffState.js';
import { buildFileTree, layerState, type FileTree, type LayerState } from './fileTree.js';
import { DEFAULT_KEYS, type KeyBindings, type KeyPress } from './keys.js';
import { MODES, modeOf, triggeredBy, type Command, type Trigger } from './commands.js';
import { overlayItems, type OverlayItem } from './overlayItems.js';
import { searchMatches, searchTest, type SearchMatches } from './search.js';
import { clampView, cursorRow, filterRegex, INITIAL_STATE, openingState, resize, windowTop, type BrowserContext, type BrowserInput, type BrowserOptions, type BrowserState, type Compare, type ImageReview } from './browserState.js';
import { TreeView, type Row } from './treeView.js';

/** The memory the cached layer states may take. */
const STATE_BUDGET = 64 * 1024 * 1024;

export type { BrowserInput, BrowserOptions, BrowserState, Compare, Focus, ImageReview, Overlay } from './browserState.js';

/**
 * The layer browser's controller, with no terminal in sight: the current state (replaced on every key, never changed
 * in place), key dispatch through the command tables (commands.ts), and the views derived from a state. Layer states
 * and tree views are cached by what they depend on, so a cursor move costs only the window.
 */
export class Browser implements BrowserContext {
  readonly tree: FileTree;
  private current: BrowserState = INITIAL_STATE;
  private readonly layerStates = new Map<string, LayerState>();
  private view: TreeView | undefined;
  private viewOf: BrowserState | undefined;
  private matches: { view: TreeView; search: string; matches: SearchMatches | undefined } | undefined;
  private warmed: TreeView | undefined;

  private opened: BrowserInput;

  constructor(
    input: BrowserInput,
    readonly keys: KeyBindings = DEFAULT_KEYS,
    options: BrowserOptions = {},
  ) {
    this.opened = input;
    this.tree = buildFileTree(input.image, input.against?.files);
    this.current = openingState(this.tree, input, options);
  }

  get input(): BrowserInput {
    return this.opened;
  }

  /** The review is done (the browser opened before it): its figures join the input, and the state is new, to redraw. */
  reviewed(review: ImageReview): void {
    this.opened = { ...this.opened, ...review };
    this.current = { ...this.current };
  }

  /** The current state: a new object after every change, so `!==` says whether anything changed. */
  get state(): BrowserState {
    return this.current;
  }

  /** One key press (already split into single keys). Returns false when nothing changed. */
  press(k: KeyPress): boolean {
    const before = this.current;
    const next = this.command(k);
    // whatever the key changed, the cursor and the window fit the rows there are now
    this.current = next === before ? next : clampView(this, next);
    return this.current !== before;
  }

  /** The terminal's size changed: `rows` is what the file tree pane now shows. Returns false when nothing changed. */
  resize(rows: number): boolean {
    const before = this.current;
    this.current = resize(this, before, rows);
    return this.current !== before;
  }

  /** The key's command in the current mode: the first table row it triggers that applies, else the mode's fallback. */
  private command(k: KeyPress): BrowserState {
    const mode = MODES[modeOf(this.state)];
    const s = mode.onKey ? mode.onKey(this.state) : this.state;
    for (const table of mode.tables) {
      for (const [trigger, run] of Object.entries(table) as Array<[Trigger, Command]>) {
        if (!triggeredBy(this.keys, trigger, k)) continue;
        const next = run(this, s, k);
        if (next) return next;
      }
    }
    return mode.otherKey?.(this, s, k) ?? s;
  }

  layerStateFor(layer: number, compare: Compare): LayerState {
    const key = this.stateKey(layer, compare);
    let s = this.layerStates.get(key);
    if (s) {
      // least recently used goes first
      this.layerStates.delete(key);
    } else {
      const base = compare === 'base' ? this.input.against?.files : undefined;
      s = base ? baseState(this.tree, layer, base) : layerState(this.tree, layer, compare === 'layer' ? layer - 1 : layer === 0 ? -1 : 0);
      if (this.layerStates.size >= this.capacity) this.layerStates.delete(this.layerStates.keys().next().value!);
    }
    this.layerStates.set(key, s);
    return s;
  }

  private stateKey(layer: number, compare: Compare): string {
    return compare === 'base' && this.input.against ? `${layer}:base` : `${layer}:${compare === 'layer' ? layer - 1 : layer === 0 ? -1 : 0}`;
  }

  /** Layer states kept: 10 bytes a node each, up to 64 MB of them, and never fewer than 9. */
  private get capacity(): number {
    return Math.max(9, Math.floor(STATE_BUDGET / (10 * this.tree.nodes.length)));
  }

  /**
   * One step of the work a key may need next, for the time no key is waiting (the terminal side calls it while
   * idle): the layer states of the layers nearest the selected one in its compare mode, then in the other, each
   * made before its first visit with the orders of its first screen; last, the current view's directory orders, which a search walks. Returns false
   * when nothing is left to do. A step is one layer state, so a key waits for one at most.
   */
  precompute(): boolean {
    const s = this.current;
    const layers = this.input.image.layers.length;
    const modes: Compare[] = s.compare === 'base' ? ['base', 'layer'] : s.compare === 'layer' ? ['layer', 'aggregated'] : ['aggregated', 'layer'];
    // the states this fills stay below the capacity, so that it never evicts what it made
    let room = this.capacity - 1;
    for (const compare of modes) {
      for (let d = 0; d < layers; d++) {
        for (const layer of d === 0 ? [s.layer] : [s.layer + d, s.layer - d]) {
          if (layer < 0 || layer >= layers) continue;
          if (--room < 0) return this.warmOrders();
          if (this.layerStates.has(this.stateKey(layer, compare))) continue;
          // and the orders of the directories its first screen shows (shared by every view of the state)
          const state = this.layerStateFor(layer, compare);
          new TreeView(this.tree, state, { hide: s.hide, filter: filterRegex(s), sort: s.sort, collapsed: s.collapsed }).window(s.top, s.treeHeight);
          return true;
        }
      }
    }
    return this.warmOrders();
  }

  /** The current view's directory orders, made once (a search walks them all). */
  private warmOrders(): boolean {
    const view = this.treeView();
    if (this.warmed === view) return false;
    view.rowOrder();
    this.warmed = view;
    return false;
  }

  /** The tree under a state's layer, compare mode, hide flags, filter, sort and collapsed directories. */
  treeView(s: BrowserState = this.state): TreeView {
    const v = this.viewOf;
    const same = v && v.layer === s.layer && v.compare === s.compare && v.filter === s.filter && v.sort === s.sort && v.collapsed === s.collapsed && sameSet(v.hide, s.hide);
    if (!this.view || !same) {
      this.view = new TreeView(this.tree, this.layerStateFor(s.layer, s.compare), { hide: s.hide, filter: filterRegex(s), sort: s.sort, collapsed: s.collapsed });
      this.viewOf = s;
    }
    return this.view;
  }

  searchMatches(s: BrowserState = this.state): SearchMatches | undefined {
    const view = this.treeView(s);
    const m = this.matches;
    if (m && m.view === view && m.search === s.search) return m.matches;
    const test = searchTest(s.search);
    const matches = test ? searchMatches(view, test) : undefined;
    this.matches = { view, search: s.search, matches };
    return matches;
  }

  /**
   * The rows of a file tree pane `height` rows high and where the cursor is among them. The window is derived from
   * the state without changing it, so a frame drawn right after a resize (before `resize` reaches the state) is right.
   */
  treeWindow(height: number = this.state.treeHeight, s: BrowserState = this.state): { rows: Row[]; cursorIndex: number } {
    const top = windowTop(s, height, this.treeView(s).totalRows);
    return { rows: this.treeView(s).window(top, height), cursorIndex: s.cursor - top };
  }

  visibleRows(): Row[] {
    return this.treeWindow().rows;
  }

  cursorRow(): Row | undefined {
    return cursorRow(this, this.state);
  }

  overlayItems(s: BrowserState = this.state): OverlayItem[] {
    return overlayItems(this.input, s, this.keys);
  }
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
