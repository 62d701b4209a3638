import type { Analysis } from '../../src/analysis/analyzeImage.js';
import type { Check } from '../../src/ci/check.js';
import type { Image } from '../../src/model/types.js';
import { buildFileTree, layerState, type FileTree, type LayerState, type Mark, type TreeNode } from './fileTree.js';
import { DEFAULT_KEYS, matches, type Action, type KeyBindings, type KeyPress } from './keys.js';
import { TreeView, type Row, type SortOrder } from './treeView.js';

export type Focus = 'layers' | 'tree';
export type Compare = 'layer' | 'aggregated';
export type Overlay = 'none' | 'help' | 'waste' | 'findings';

/** Everything the screen shows, as plain data: the components only draw it. */
export interface BrowserState {
  readonly focus: Focus;
  readonly layer: number;
  readonly compare: Compare;
  readonly hide: ReadonlySet<Mark>;
  readonly filter: string;
  readonly filterEditing: boolean;
  readonly filterError: string | undefined;
  readonly sort: SortOrder;
  readonly cursor: number;
  readonly top: number;
  readonly showAttributes: boolean;
  readonly overlay: Overlay;
  readonly overlayCursor: number;
  readonly message: string | undefined;
  readonly quit: boolean;
}

export interface BrowserInput {
  readonly image: Image;
  readonly analysis: Analysis;
  readonly checks: readonly Check[];
  readonly baseLayers: number;
}

/**
 * The layer browser's controller: state, key handling and the derived views, with no terminal in sight.
 * Layer states and tree views are cached by what they depend on, so a cursor move costs only the window.
 */
export class Browser {
  readonly tree: FileTree;
  state: BrowserState;
  private height = 20;
  private readonly layerStates = new Map<string, LayerState>();
  private view: TreeView | undefined;
  private viewKey = '';
  private readonly collapsed = new Set<number>();

  constructor(
    readonly input: BrowserInput,
    readonly keys: KeyBindings = DEFAULT_KEYS,
  ) {
    this.tree = buildFileTree(input.image);
    this.state = {
      focus: 'layers',
      layer: 0,
      compare: 'layer',
      hide: new Set(),
      filter: '',
      filterEditing: false,
      filterError: undefined,
      sort: 'size',
      cursor: 0,
      top: 0,
      showAttributes: false,
      overlay: 'none',
      overlayCursor: 0,
      message: undefined,
      quit: false,
    };
  }

  /** Rows the file tree pane can show; the window follows the cursor. */
  setTreeHeight(rows: number): void {
    this.height = Math.max(1, rows);
    this.scrollToCursor();
  }

  get treeHeight(): number {
    return this.height;
  }

  /** Bumped on every change: the component re-renders when it moves. */
  version = 0;

  private set(patch: Partial<BrowserState>): void {
    this.state = { ...this.state, ...patch };
    this.version++;
  }

  layerStateFor(layer: number, compare: Compare): LayerState {
    const against = compare === 'layer' ? layer - 1 : layer === 0 ? -1 : 0;
    const key = `${layer}:${against}`;
    let s = this.layerStates.get(key);
    if (!s) {
      s = layerState(this.tree, layer, against);
      if (this.layerStates.size > 8) this.layerStates.delete(this.layerStates.keys().next().value!);
      this.layerStates.set(key, s);
    }
    return s;
  }

  private filterRegex(): RegExp | null {
    if (this.state.filter === '') return null;
    try {
      return new RegExp(this.state.filter);
    } catch {
      return null;
    }
  }

  /** The tree under the current layer, compare mode, hide flags, filter, sort and collapsed directories. */
  treeView(): TreeView {
    const s = this.state;
    const key = [s.layer, s.compare, [...s.hide].sort().join(','), s.filter, s.sort, this.collapsedVersion].join('|');
    if (!this.view || key !== this.viewKey) {
      this.view = new TreeView(this.tree, this.layerStateFor(s.layer, s.compare), { hide: s.hide, filter: this.filterRegex(), sort: s.sort, collapsed: this.collapsed });
      this.viewKey = key;
    }
    return this.view;
  }

  private collapsedVersion = 0;

  visibleRows(): Row[] {
    return this.treeView().window(this.state.top, this.height);
  }

  cursorRow(): Row | undefined {
    return this.treeView().window(this.state.cursor, 1)[0];
  }

  private clampCursor(cursor: number): void {
    const total = this.treeView().totalRows;
    this.set({ cursor: Math.max(0, Math.min(cursor, total - 1)) });
    this.scrollToCursor();
  }

  private scrollToCursor(): void {
    const { cursor, top } = this.state;
    if (cursor < top) this.set({ top: cursor });
    else if (cursor >= top + this.height) this.set({ top: cursor - this.height + 1 });
  }

  private selectLayer(layer: number): void {
    const last = this.input.image.layers.length - 1;
    this.set({ layer: Math.max(0, Math.min(layer, last)) });
    this.clampCursor(this.state.cursor);
  }

  private toggleCollapse(node: TreeNode): void {
    if (this.collapsed.has(node.id)) this.collapsed.delete(node.id);
    else this.collapsed.add(node.id);
    this.collapsedVersion++;
    this.version++;
  }

  /** Put the cursor on a path (expanding its parents), e.g. to show a wasted file or a finding. */
  jumpTo(path: string, layer?: number): boolean {
    const node = this.tree.nodeOf(path);
    if (!node) return false;
    if (layer !== undefined) this.set({ layer });
    for (let p = node.parent; p; p = p.parent) {
      if (this.collapsed.delete(p.id)) this.collapsedVersion++;
    }
    if (this.state.filter !== '' || this.state.hide.size > 0) this.set({ filter: '', hide: new Set() });
    const index = this.treeView().indexOf(node);
    if (index < 0) return false;
    this.set({ focus: 'tree', cursor: index });
    this.scrollToCursor();
    return true;
  }

  /** One key press (already split into single keys). Returns false when nothing changed. */
  press(k: KeyPress): boolean {
    const before = this.version;
    if (this.state.filterEditing) this.editFilter(k);
    else if (this.state.overlay !== 'none') this.overlayKey(k);
    else this.command(k);
    return this.version !== before;
  }

  private editFilter(k: KeyPress): void {
    if (k.name === 'escape') {
      this.set({ filter: '', filterEditing: false, filterError: undefined });
    } else if (k.name === 'return') {
      this.set({ filterEditing: false });
    } else if (k.name === 'backspace') {
      this.setFilter(this.state.filter.slice(0, -1));
    } else if (k.input && !k.ctrl && !k.meta) {
      this.setFilter(this.state.filter + k.input);
    }
  }

  private setFilter(filter: string): void {
    let filterError: string | undefined;
    try {
      new RegExp(filter);
    } catch (err) {
      filterError = (err as Error).message;
    }
    this.set({ filter, filterError });
    this.clampCursor(this.state.cursor);
  }

  private overlayKey(k: KeyPress): void {
    const items = this.overlayItems();
    if (k.name === 'escape' || matches(this.keys, 'quit', k) || (this.state.overlay === 'help' && matches(this.keys, 'help', k))) {
      this.set({ overlay: 'none' });
    } else if (matches(this.keys, 'up', k)) {
      this.set({ overlayCursor: Math.max(0, this.state.overlayCursor - 1) });
    } else if (matches(this.keys, 'down', k)) {
      this.set({ overlayCursor: Math.min(items.length - 1, this.state.overlayCursor + 1) });
    } else if (k.name === 'return') {
      const item = items[this.state.overlayCursor];
      this.set({ overlay: 'none' });
      if (item?.path && !this.jumpTo(item.path, item.layer)) this.set({ message: `${item.path} is not in the tree at this layer` });
    }
  }

  /** The entries of the waste and findings overlays: what they list and where Enter jumps. */
  overlayItems(): Array<{ text: string; path?: string; layer?: number }> {
    if (this.state.overlay === 'waste') {
      return this.input.analysis.hidden.slice(0, 200).map((h) => ({
        text: `${h.path}: ${h.size} bytes written by layer ${h.writtenBy}, ${h.how} by layer ${h.hiddenBy}`,
        path: h.path,
        layer: h.writtenBy,
      }));
    }
    if (this.state.overlay === 'findings') {
      return this.input.checks
        .filter((c) => c.status === 'FAIL' || c.status === 'WARN')
        .flatMap((c) =>
          c.locations.length === 0
            ? [{ text: `${c.status} ${c.id}: ${c.message}` }]
            : c.locations.map((l) => ({
                text: `${c.status} ${c.id}: ${l.path ?? l.configField ?? ''}${l.layer !== undefined ? ` (layer ${l.layer})` : ''}`,
                ...(l.path ? { path: l.path } : {}),
                ...(l.layer !== undefined ? { layer: this.input.image.layers.length - 1 } : {}),
              })),
        );
    }
    return [];
  }

  private command(k: KeyPress): void {
    const is = (a: Action) => matches(this.keys, a, k);
    const s = this.state;
    if (s.message) this.set({ message: undefined });
    if (is('quit')) return this.set({ quit: true });
    if (is('help')) return this.set({ overlay: 'help', overlayCursor: 0 });
    if (is('toggleFocus')) return this.set({ focus: s.focus === 'layers' ? 'tree' : 'layers' });
    if (is('filter')) return this.set({ filterEditing: true, focus: 'tree' });
    if (k.name === 'escape' && s.filter !== '') return this.setFilter('');
    if (is('sortToggle')) return this.set({ sort: s.sort === 'size' ? 'name' : 'size' });
    if (is('sortSize')) return this.set({ sort: 'size' });
    if (is('attributes')) return this.set({ showAttributes: !s.showAttributes });
    if (is('waste')) {
      const top = this.input.analysis.hidden.at(0);
      if (!top) return this.set({ message: 'no wasted bytes: every layer byte is visible in the final image' });
      this.jumpTo(top.path, top.writtenBy);
      return this.set({ message: `${top.path}: ${top.size} bytes written by layer ${top.writtenBy}, ${top.how} by layer ${top.hiddenBy} — W lists all` });
    }
    if (is('wasteList')) return this.set({ overlay: 'waste', overlayCursor: 0 });
    if (is('findings')) return this.set({ overlay: 'findings', overlayCursor: 0 });
    if (s.focus === 'layers') {
      if (is('up')) return this.selectLayer(s.layer - 1);
      if (is('down')) return this.selectLayer(s.layer + 1);
      if (is('pageUp')) return this.selectLayer(s.layer - 10);
      if (is('pageDown')) return this.selectLayer(s.layer + 10);
      if (is('compareAll')) return this.set({ compare: 'aggregated' });
      if (is('compareLayer')) return this.set({ compare: 'layer' });
      return;
    }
    const hideToggles: Array<[Action, Mark]> = [
      ['hideAdded', 'added'],
      ['hideRemoved', 'removed'],
      ['hideModified', 'modified'],
      ['hideUnmodified', 'unmodified'],
    ];
    for (const [a, m] of hideToggles) {
      if (is(a)) {
        const hide = new Set(s.hide);
        if (hide.has(m)) hide.delete(m);
        else hide.add(m);
        this.set({ hide });
        return this.clampCursor(s.cursor);
      }
    }
    if (is('up')) return this.clampCursor(s.cursor - 1);
    if (is('down')) return this.clampCursor(s.cursor + 1);
    if (is('pageUp')) return this.clampCursor(s.cursor - this.height);
    if (is('pageDown')) return this.clampCursor(s.cursor + this.height);
    if (is('collapseAll')) {
      const any = this.collapsed.size > 0;
      this.collapsed.clear();
      if (!any) for (const n of this.tree.root.children) if (n.children.length > 0) this.collapsed.add(n.id);
      this.collapsedVersion++;
      this.set({ cursor: 0, top: 0 });
      return;
    }
    const row = this.cursorRow();
    if (!row) return;
    if (is('collapse') && row.hasChildren) {
      this.toggleCollapse(row.node);
      this.set({ cursor: s.cursor });
      return this.clampCursor(s.cursor);
    }
    if (is('left')) {
      if (row.hasChildren && !row.collapsed) {
        this.toggleCollapse(row.node);
        return this.set({ cursor: s.cursor });
      }
      const parent = row.node.parent;
      if (parent && parent.id !== 0) {
        const i = this.treeView().indexOf(parent);
        if (i >= 0) this.clampCursor(i);
      }
      return;
    }
    if (is('right') && row.hasChildren && row.collapsed) {
      this.toggleCollapse(row.node);
      return this.set({ cursor: s.cursor });
    }
  }
}
