import { parseKeyList } from './keySpec.js';

/** One key, whatever the terminal sent: several can arrive in one read and are split before they get here. */
export interface KeyPress {
  /** The printable character, if any. */
  readonly input: string;
  /** Named keys: up, down, left, right, pageup, pagedown, tab, return, escape, backspace, space. */
  readonly name?: string;
  readonly ctrl: boolean;
  readonly meta: boolean;
  readonly shift: boolean;
}

export type Action =
  | 'quit' | 'help' | 'toggleFocus' | 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown'
  | 'collapse' | 'collapseAll' | 'compareAll' | 'compareLayer' | 'compareBase'
  | 'hideAdded' | 'hideRemoved' | 'hideModified' | 'hideUnmodified'
  | 'filter' | 'search' | 'searchNext' | 'searchPrevious' | 'sortToggle' | 'sortSize' | 'attributes' | 'treeGuideLines' | 'wrapTree' | 'waste' | 'wasteList' | 'findings' | 'history' | 'copyPath';

export type KeyBindings = Readonly<Record<Action, readonly string[]>>;

/**
 * dive 0.12's defaults (cmd/root.go's `keybinding.*`), plus q to quit, ? for help, / to search (n, N), s to sort by
 * size, t for tree guide lines, w for waste, f for findings, i for a path's history, y to copy a path.
 */
export const DEFAULT_KEYS: KeyBindings = {
  quit: ['q', 'ctrl+c'],
  help: ['?'],
  toggleFocus: ['tab'],
  up: ['up', 'k'],
  down: ['down', 'j'],
  left: ['left', 'h'],
  right: ['right', 'l'],
  pageUp: ['pageup'],
  pageDown: ['pagedown'],
  collapse: ['space'],
  collapseAll: ['ctrl+space'],
  compareAll: ['ctrl+a'],
  compareLayer: ['ctrl+l'],
  compareBase: ['ctrl+d'],
  hideAdded: ['ctrl+a'],
  hideRemoved: ['ctrl+r'],
  // a terminal sends ctrl+m as Enter
  hideModified: ['ctrl+m', 'return'],
  hideUnmodified: ['ctrl+u'],
  filter: ['ctrl+f', 'ctrl+/'],
  search: ['/'],
  searchNext: ['n'],
  searchPrevious: ['N'],
  sortToggle: ['ctrl+o'],
  sortSize: ['s'],
  attributes: ['ctrl+b'],
  treeGuideLines: ['t'],
  wrapTree: ['ctrl+p'],
  waste: ['w'],
  wasteList: ['W'],
  findings: ['f'],
  history: ['i'],
  copyPath: ['y'],
};

export const ACTION_HELP: Readonly<Record<Action, string>> = {
  quit: 'quit',
  help: 'show all keys',
  toggleFocus: 'switch pane (layers / files)',
  up: 'up',
  down: 'down',
  left: 'collapse / go to parent',
  right: 'expand',
  pageUp: 'page up',
  pageDown: 'page down',
  collapse: 'collapse or expand a directory',
  collapseAll: 'collapse or expand all',
  compareAll: 'layers: show all changes since layer 0',
  compareLayer: "layers: show the selected layer's changes",
  compareBase: 'layers: show the changes against BASE (fathom diff)',
  hideAdded: 'files: hide/show added',
  hideRemoved: 'files: hide/show removed (R) and added then removed (X)',
  hideModified: 'files: hide/show modified (M) and rewritten identically (=)',
  hideUnmodified: 'files: hide/show unmodified',
  filter: 'filter paths (regex); esc clears',
  search: 'search (regex over names; with a / over paths), the tree stays whole',
  searchNext: 'next match of the search',
  searchPrevious: 'previous match of the search',
  sortToggle: 'sort by name / size',
  sortSize: 'sort by size',
  attributes: 'show/hide mode, uid:gid',
  treeGuideLines: 'tree guide lines on/off (├── as dive draws them)',
  wrapTree: 'wrap long file tree lines (on/off)',
  waste: 'jump to the largest wasted file and say why',
  wasteList: 'every wasted file: who wrote it, who hid it',
  findings: 'rule findings',
  history: 'files: every layer that touched the selected path',
  copyPath: 'files: copy the selected path to the clipboard (OSC 52)',
};

function describe(k: KeyPress): string[] {
  const names: string[] = [];
  const base = k.name ?? (k.input === ' ' ? 'space' : k.input);
  // letters are matched as typed (w and W differ); ctrl+ chords are case-blind
  if (k.ctrl) names.push(`ctrl+${base.toLowerCase()}`);
  else names.push(base);
  if (k.name === 'return') names.push('ctrl+m');
  // alt with a named key (ESC before the sequence) also answers to its alt+ binding
  if (k.meta && k.name) names.push(`alt+${k.name}`);
  return names;
}

export function matches(bindings: KeyBindings, action: Action, k: KeyPress): boolean {
  const spec = bindings[action];
  return describe(k).some((d) => spec.includes(d));
}

/** The flags Ink's useInput reports with an input event (the ones this decoder reads). */
export interface InkKey {
  readonly upArrow: boolean;
  readonly downArrow: boolean;
  readonly leftArrow: boolean;
  readonly rightArrow: boolean;
  readonly pageUp: boolean;
  readonly pageDown: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return: boolean;
  readonly escape: boolean;
  readonly tab: boolean;
  readonly backspace: boolean;
  readonly delete: boolean;
  readonly ctrl: boolean;
  readonly meta: boolean;
  readonly shift: boolean;
}

const plain = (input: string, name?: string, ctrl = false): KeyPress => ({ input, ...(name ? { name } : {}), ctrl, meta: false, shift: false });

/**
 * One byte of plain input as the key a terminal means by it: the C0 controls are Tab, Enter, Backspace and the
 * ctrl chords (NUL is ctrl+space, 0x1f is ctrl+/ as dive binds it), DEL is Backspace.
 */
function byteKey(ch: string): KeyPress {
  const c = ch.codePointAt(0)!;
  if (ch === ' ') return plain(' ', 'space');
  if (c >= 0x20 && c !== 0x7f) return plain(ch);
  if (c === 0x09) return plain('', 'tab');
  if (c === 0x0d || c === 0x0a) return plain('', 'return');
  if (c === 0x7f || c === 0x08) return plain('', 'backspace');
  if (c === 0x00) return plain(' ', 'space', true);
  if (c === 0x1f) return plain('/', undefined, true);
  if (c === 0x1b) return plain('', 'escape');
  // 0x01–0x1a: ctrl+a … ctrl+z; 0x1c–0x1e: ctrl+\ ] ^
  return plain(String.fromCodePoint(c + 0x60).replace('|', '\\').replace('}', ']').replace('~', '^'), undefined, true);
}

function namedKey(key: InkKey): string | undefined {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return 'tab';
  if (key.backspace || key.delete) return 'backspace';
  return undefined;
}

/**
 * Ink's (input, key) for one input event → the keys in it, in order. Ink splits what the terminal sends only at ESC:
 * an escape sequence is one event (Ink names it), and the bytes between sequences arrive as one string however many
 * keys they hold (a paste, a fast typist, keys queued while a frame was drawn). Ink parses such a string as one
 * unnamed key, so every byte of it is decoded here as one key. A single byte keeps Ink's reading, except NUL, which
 * Ink reports as ctrl+` and is ctrl+space.
 */
export function splitKeys(input: string, key: InkKey): KeyPress[] {
  const name = namedKey(key);
  if (name) return [{ input: '', name, ctrl: key.ctrl, meta: key.meta && name !== 'escape', shift: key.shift }];
  if (key.ctrl && input === '`') return [plain(' ', 'space', true)];
  if (key.ctrl && input.length === 1) return [{ input, ctrl: true, meta: key.meta, shift: key.shift }];
  // ESC and a key in one read (Esc then q, typed quickly): Ink reads alt+q; it is the two keys (none binds alt)
  if (key.meta) return [plain('', 'escape'), ...[...input].map(byteKey)];
  return [...input].map(byteKey);
}

/** Raw terminal bytes, each as the key it is (no escape sequences: for reading keys before Ink takes over). */
export function bytesAsKeys(text: string): KeyPress[] {
  return [...text].map(byteKey);
}

/**
 * Bindings from the `keys:` section of a fathom config file, over `base` (the defaults, or what dive's config made
 * of them). Key names are read as dive's config reads them (keySpec.ts).
 */
export function keyBindingsFrom(raw: unknown, base: KeyBindings = DEFAULT_KEYS): KeyBindings {
  if (!raw || typeof raw !== 'object') return base;
  const out: Record<string, readonly string[]> = { ...base };
  for (const [action, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!(action in DEFAULT_KEYS)) throw new Error(`keys.${action}: unknown action; known: ${Object.keys(DEFAULT_KEYS).join(', ')}`);
    try {
      out[action] = parseKeyList(Array.isArray(v) ? v.map(String) : [String(v)]);
    } catch (err) {
      throw new Error(`keys.${action}: ${(err as Error).message}`);
    }
  }
  return out as KeyBindings;
}
