import { hierarchy, treemap, treemapSquarify, type HierarchyRectangularNode } from 'd3-hierarchy';
import { el } from './dom.js';
import { bytes, share } from './format.js';
import { readTheme, type Palette, type Theme } from './palette.js';
import type { Tree } from './tree.js';
import type { View } from './views.js';

type Box = HierarchyRectangularNode<number>;

/** A rectangle as painted: a file, an aggregate, or a directory too small to split further. */
export interface DrawnRect {
  readonly node: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Bytes it stands for in the current view. */
  readonly value: number;
  /** A directory's own bytes (it was also a file), painted under its children: only the uncovered part shows. */
  readonly beneath?: boolean;
}

export interface MapState {
  readonly view: View;
  readonly root: number;
  readonly selected: number;
  /** A layer to pick out (the others are dimmed), or -1. */
  readonly highlight: number;
}

export interface MapEvents {
  /** The node under the pointer or keyboard focus changed (-1: none). */
  hover(node: number): void;
  /** A child of the zoomed directory was clicked or chosen with Enter. */
  activate(node: number): void;
  /** Escape or Backspace: one level up. */
  up(): void;
}

/** Below this area (CSS px²) a directory is painted as one rectangle in the colour of the layer that wrote most of it. */
const MIN_SPLIT_AREA = 48;
/** Children of the zoomed directory that get a focusable button over their rectangle (the rest: the table). */
const MAX_BUTTONS = 150;
const MIN_BUTTON_AREA = 120;

/**
 * The squarified treemap (d3-hierarchy's layout) painted on a canvas, with a second canvas for hover and selection
 * outlines so moving the pointer never repaints the map. Areas are exact: no padding, no rounding, so every
 * painted rectangle's area is its bytes times the same factor.
 */
export class Treemap {
  private readonly canvas = el('canvas', { class: 'map-paint', 'aria-hidden': 'true' });
  private readonly marks = el('canvas', { class: 'map-marks', 'aria-hidden': 'true' });
  private readonly buttons = el('div', { class: 'map-buttons' });
  private layoutKey = '';
  private root: Box | null = null;
  /** Below the root, through directories that hold a single directory (`/usr/lib` of an image with only that). */
  private top: Box | null = null;
  private boxes = new Map<number, Box>();
  private drawn: DrawnRect[] = [];
  private leafFlag: Uint8Array;
  private state: MapState | null = null;
  private hovered = -1;
  private theme: Theme;
  private hatch: CanvasPattern | null = null;
  private width = 0;
  private height = 0;

  constructor(
    private readonly host: HTMLElement,
    private readonly tree: Tree,
    private readonly palette: Palette,
    private readonly events: MapEvents,
  ) {
    this.leafFlag = new Uint8Array(tree.count);
    this.theme = readTheme(host);
    host.setAttribute('role', 'group');
    host.setAttribute('aria-label', 'Treemap: Tab to its rectangles, Enter opens a directory, Escape goes back; the table below lists the same entries');
    host.append(this.canvas, this.marks, this.buttons);
    this.canvas.addEventListener('mousemove', (e) => this.setHover(this.leafAt(e.offsetX, e.offsetY)));
    this.canvas.addEventListener('mouseleave', () => this.setHover(-1));
    this.canvas.addEventListener('click', (e) => {
      const n = this.childAt(e.offsetX, e.offsetY);
      if (n >= 0) this.events.activate(n);
    });
    host.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' || e.key === 'Backspace') {
        e.preventDefault();
        this.events.up();
      }
    });
    new ResizeObserver(() => this.state && this.render(this.state)).observe(host);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      this.theme = readTheme(host);
      this.hatch = null;
      if (this.state) this.render(this.state, true);
    });
  }

  /** What is painted, for the text alternative and for checking the picture against the data. */
  rects(): readonly DrawnRect[] {
    return this.drawn;
  }

  size(): { width: number; height: number } {
    return { width: this.width, height: this.height };
  }

  render(state: MapState, force = false): void {
    const width = Math.max(1, Math.floor(this.host.clientWidth));
    const height = Math.max(1, Math.floor(this.host.clientHeight));
    const key = `${state.view.id}|${state.root}|${width}x${height}`;
    const relayout = force || key !== this.layoutKey;
    const repaint = relayout || this.state?.highlight !== state.highlight;
    this.state = state;
    if (relayout) {
      this.layoutKey = key;
      this.width = width;
      this.height = height;
      this.layout(state.view, state.root);
    }
    if (repaint) {
      this.paint(state);
      this.placeButtons(state);
    }
    this.paintMarks();
  }

  private layout(view: View, root: number): void {
    const tree = this.tree;
    // areas are exact, so a node's rectangle is known before the layout: one too small to split is a leaf
    const pxPerByte = (this.width * this.height) / Math.max(1, view.area(root));
    const leaf = new Set<number>();
    const h = hierarchy<number>(root, (i) => {
      if (view.area(i) * pxPerByte < MIN_SPLIT_AREA) {
        leaf.add(i);
        return null;
      }
      const kids: number[] = [];
      for (const c of tree.children(i)) if (view.area(c) > 0) kids.push(c);
      return kids.length > 0 ? kids : null;
    });
    // a node's own bytes are its area less its children's (a path that was a file and a directory has both)
    h.sum((i) => {
      let own = view.area(i);
      if (leaf.has(i)) return own;
      for (const c of tree.children(i)) own -= view.area(c);
      return Math.max(0, own);
    });
    h.sort((a, b) => b.value! - a.value! || a.data - b.data);
    this.root = treemap<number>().tile(treemapSquarify).size([this.width, this.height]).round(false)(h);
    let top = this.root;
    while (top.children?.length === 1 && top.children[0]!.children) top = top.children[0]!;
    this.top = top;
    this.boxes = new Map();
    this.root.each((b) => this.boxes.set(b.data, b));
  }

  private ratio(): number {
    return window.devicePixelRatio || 1;
  }

  private fit(c: HTMLCanvasElement): CanvasRenderingContext2D {
    const r = this.ratio();
    c.width = Math.round(this.width * r);
    c.height = Math.round(this.height * r);
    c.style.width = `${this.width}px`;
    c.style.height = `${this.height}px`;
    const ctx = c.getContext('2d')!;
    ctx.setTransform(r, 0, 0, r, 0, 0);
    return ctx;
  }

  private pattern(ctx: CanvasRenderingContext2D): CanvasPattern | null {
    if (this.hatch) return this.hatch;
    const tile = document.createElement('canvas');
    tile.width = tile.height = 8;
    const t = tile.getContext('2d')!;
    // a dark and a light stroke: readable on any fill, and without colour at all
    for (const [width, colour, end] of [[1.6, 'rgba(0,0,0,0.55)', 10], [1, 'rgba(255,255,255,0.45)', 12]] as const) {
      t.lineWidth = width;
      t.strokeStyle = colour;
      t.beginPath();
      t.moveTo(-2, end);
      t.lineTo(end, -2);
      t.stroke();
    }
    this.hatch = ctx.createPattern(tile, 'repeat');
    return this.hatch;
  }

  private paint(state: MapState): void {
    const ctx = this.fit(this.canvas);
    const { view, highlight } = state;
    const theme = this.theme;
    ctx.fillStyle = theme.bg;
    ctx.fillRect(0, 0, this.width, this.height);
    this.drawn = [];
    this.leafFlag.fill(0);
    const root = this.root;
    if (!root || !root.value) {
      ctx.fillStyle = theme.fg;
      ctx.font = '14px system-ui, sans-serif';
      ctx.fillText(`Nothing to show: ${view.label.toLowerCase()} has no bytes here.`, 16, 28);
      return;
    }
    const hatch = this.pattern(ctx);
    const fill = (b: Box) => {
      const w = b.x1 - b.x0;
      const h = b.y1 - b.y0;
      const layer = view.colourLayer(b.data);
      ctx.globalAlpha = highlight >= 0 && layer !== highlight ? 0.18 : 1;
      ctx.fillStyle = view.colour?.(b.data) ?? this.palette.layer(layer);
      ctx.fillRect(b.x0, b.y0, w, h);
      if (hatch && view.hatched(b.data)) {
        ctx.fillStyle = hatch;
        ctx.fillRect(b.x0, b.y0, w, h);
      }
      ctx.globalAlpha = 1;
      // separators only where they leave room for the colour: a field of tiny files reads as one area
      if (w >= 10 && h >= 10) {
        ctx.strokeStyle = theme.edge;
        ctx.lineWidth = 1;
        ctx.strokeRect(b.x0 + 0.5, b.y0 + 0.5, w - 1, h - 1);
      }
    };
    const outlines: Box[] = [];
    const stack: Box[] = [root];
    while (stack.length > 0) {
      const b = stack.pop()!;
      const w = b.x1 - b.x0;
      const h = b.y1 - b.y0;
      if (!(w > 0 && h > 0)) continue;
      if (!b.children || w * h < MIN_SPLIT_AREA || w < 3 || h < 3) {
        fill(b);
        this.leafFlag[b.data] = 1;
        this.drawn.push({ node: b.data, x: b.x0, y: b.y0, w, h, value: b.value ?? 0 });
        continue;
      }
      const childBytes = b.children.reduce((s, c) => s + (c.value ?? 0), 0);
      if ((b.value ?? 0) > childBytes) {
        fill(b);
        this.drawn.push({ node: b.data, x: b.x0, y: b.y0, w, h, value: (b.value ?? 0) - childBytes, beneath: true });
      }
      const level = b.depth - (this.top?.depth ?? 0);
      if (level >= 1 && level <= 2) outlines.push(b);
      for (let i = b.children.length - 1; i >= 0; i--) stack.push(b.children[i]!);
    }
    ctx.strokeStyle = theme.edge;
    for (const b of outlines) {
      const lw = b.depth - (this.top?.depth ?? 0) === 1 ? 3 : 1.5;
      ctx.lineWidth = lw;
      ctx.strokeRect(b.x0 + lw / 2, b.y0 + lw / 2, b.x1 - b.x0 - lw, b.y1 - b.y0 - lw);
    }
    this.paintLabels(ctx, root);
  }

  /** A child of `top` named from the root: `lib/python3` when the root holds only `lib`. */
  private relativeName(b: Box): string {
    const parts: string[] = [];
    for (let q: Box | null = b; q && q !== this.root; q = q.parent) parts.push(this.tree.label(q.data));
    return parts.reverse().join('/');
  }

  private paintLabels(ctx: CanvasRenderingContext2D, root: Box): void {
    const theme = this.theme;
    const top = this.top ?? root;
    /** A label in a box: at its top-left (`top`) or bottom-left, with a backdrop so any fill stays readable. */
    const label = (b: Box, text: string, size: number, top: boolean) => {
      const w = b.x1 - b.x0;
      const h = b.y1 - b.y0;
      if (w < 40 || h < size + 6) return;
      ctx.font = `${size}px system-ui, sans-serif`;
      const room = w - 10;
      let t = text;
      while (t.length > 1 && ctx.measureText(t).width > room) t = `${t.slice(0, Math.floor(t.length * 0.8) - 1)}…`;
      if (ctx.measureText(t).width > room) return;
      const tw = ctx.measureText(t).width;
      const y = top ? b.y0 + 3 : b.y1 - size - 8;
      ctx.fillStyle = theme.panel;
      ctx.fillRect(b.x0 + 3, y, tw + 6, size + 5);
      ctx.fillStyle = theme.fg;
      ctx.fillText(t, b.x0 + 6, y + size);
    };
    ctx.textBaseline = 'alphabetic';
    // big files deeper down get their name at the bottom, clear of their directory's label at the top
    for (const r of this.drawn) {
      const b = this.boxes.get(r.node);
      if (!b || b.depth - top.depth < 2 || this.tree.isDir(r.node) || r.w < 90 || r.h < 44) continue;
      label(b, this.tree.label(r.node), 11, false);
    }
    for (const b of top.children ?? []) label(b, `${this.relativeName(b)}  ${bytes(b.value ?? 0)}  ${share(b.value ?? 0, root.value ?? 0)}`, 13, true);
  }

  /** Focusable buttons over the zoomed directory's children: the keyboard's way into the map. */
  private placeButtons(state: MapState): void {
    const focused = document.activeElement instanceof HTMLElement && this.buttons.contains(document.activeElement) ? Number(document.activeElement.dataset['node']) : -1;
    this.buttons.replaceChildren();
    const root = this.root;
    if (!root) return;
    const total = root.value ?? 0;
    let made = 0;
    for (const b of this.top?.children ?? []) {
      const w = b.x1 - b.x0;
      const h = b.y1 - b.y0;
      if (made >= MAX_BUTTONS || w * h < MIN_BUTTON_AREA) break;
      const node = b.data;
      const kind = this.tree.isDir(node) ? 'directory' : this.tree.isSmall(node) ? 'group of small files' : 'file';
      const button = el('button', {
        type: 'button',
        class: 'map-button',
        'data-node': node,
        'data-bytes': b.value ?? 0,
        'aria-label': `${this.relativeName(b)}, ${kind}, ${bytes(b.value ?? 0)}, ${share(b.value ?? 0, total)} of ${state.view.label.toLowerCase()} here${this.tree.isDir(node) ? '; Enter opens it' : ''}`,
      });
      button.style.left = `${b.x0}px`;
      button.style.top = `${b.y0}px`;
      button.style.width = `${w}px`;
      button.style.height = `${h}px`;
      button.addEventListener('click', () => this.events.activate(node));
      button.addEventListener('focus', () => this.setHover(node));
      button.addEventListener('blur', () => this.setHover(-1));
      this.buttons.append(button);
      made++;
      if (node === focused) button.focus();
    }
  }

  private setHover(node: number): void {
    if (node === this.hovered) return;
    this.hovered = node;
    this.paintMarks();
    this.events.hover(node);
  }

  /** The painted rectangle that shows a node: its own, or the one of the smallest painted ancestor. */
  private shown(node: number): Box | undefined {
    for (let q = node; q >= 0; q = this.tree.parent[q]!) {
      const b = this.boxes.get(q);
      if (b && (this.leafFlag[q] || q === node)) return b;
    }
    return undefined;
  }

  private paintMarks(): void {
    const ctx = this.fit(this.marks);
    ctx.clearRect(0, 0, this.width, this.height);
    const outline = (node: number, colour: string, width: number, dash: number[]) => {
      const b = node >= 0 ? this.shown(node) : undefined;
      if (!b || b === this.root) return;
      ctx.setLineDash(dash);
      ctx.lineWidth = width;
      ctx.strokeStyle = colour;
      ctx.strokeRect(b.x0 + width / 2, b.y0 + width / 2, Math.max(0, b.x1 - b.x0 - width), Math.max(0, b.y1 - b.y0 - width));
    };
    const sel = this.state?.selected ?? -1;
    // the selection: a thick accent line with a dashed contrasting line inside, visible on any fill
    outline(sel, this.theme.accent, 4, []);
    outline(sel, this.theme.bg, 1.5, [4, 3]);
    outline(this.hovered, this.theme.fg, 2, []);
  }

  /** The deepest painted node at a point. */
  private leafAt(x: number, y: number): number {
    let b = this.root;
    if (!b || !inside(b, x, y)) return -1;
    while (b.children && !this.leafFlag[b.data]) {
      const next: Box | undefined = b.children.find((c) => inside(c, x, y));
      if (!next) break;
      b = next;
    }
    return b.data;
  }

  /** The child of the zoomed directory (or of the single directory it holds) at a point. */
  private childAt(x: number, y: number): number {
    const c = this.top?.children?.find((b) => inside(b, x, y));
    return c ? c.data : -1;
  }
}

function inside(b: Box, x: number, y: number): boolean {
  return x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1;
}
