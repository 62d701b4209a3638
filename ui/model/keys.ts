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
  | 'filter' | 'sortToggle' | 'sortSize' | 'attributes' | 'waste' | 'wasteList' | 'findings';

export type KeyBindings = Readonly<Record<Action, readonly string[]>>;

/** dive's defaults, plus q to quit, ? for help, s to sort by size, w for waste, f for findings. */
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
  filter: ['ctrl+f', '/'],
  sortToggle: ['ctrl+o'],
  sortSize: ['s'],
  attributes: ['ctrl+b'],
  waste: ['w'],
  wasteList: ['W'],
  findings: ['f'],
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
  hideRemoved: 'files: hide/show removed',
  hideModified: 'files: hide/show modified',
  hideUnmodified: 'files: hide/show unmodified',
  filter: 'filter paths (regex); esc clears',
  sortToggle: 'sort by name / size',
  sortSize: 'sort by size',
  attributes: 'show/hide mode, uid:gid',
  waste: 'jump to the largest wasted file and say why',
  wasteList: 'every wasted file: who wrote it, who hid it',
  findings: 'rule findings',
};

function describe(k: KeyPress): string[] {
  const names: string[] = [];
  const base = k.name ?? (k.input === ' ' ? 'space' : k.input);
  // letters are matched as typed (w and W differ); ctrl+ chords are case-blind
  if (k.ctrl) names.push(`ctrl+${base.toLowerCase()}`);
  else names.push(base);
  if (k.name === 'return') names.push('ctrl+m');
  return names;
}

export function matches(bindings: KeyBindings, action: Action, k: KeyPress): boolean {
  const spec = bindings[action];
  return describe(k).some((d) => spec.includes(d));
}

/** Ink's (input, key) for one read → the single keys in it (a paste or a fast typist sends several). */
export function splitKeys(
  input: string,
  key: { upArrow: boolean; downArrow: boolean; leftArrow: boolean; rightArrow: boolean; pageUp: boolean; pageDown: boolean; return: boolean; escape: boolean; tab: boolean; backspace: boolean; delete: boolean; ctrl: boolean; meta: boolean; shift: boolean },
): KeyPress[] {
  const mods = { ctrl: key.ctrl, meta: key.meta, shift: key.shift };
  const named = (name: string): KeyPress[] => [{ input: '', name, ...mods }];
  if (key.upArrow) return named('up');
  if (key.downArrow) return named('down');
  if (key.leftArrow) return named('left');
  if (key.rightArrow) return named('right');
  if (key.pageUp) return named('pageup');
  if (key.pageDown) return named('pagedown');
  if (key.return) return named('return');
  if (key.escape) return named('escape');
  if (key.tab) return named('tab');
  if (key.backspace || key.delete) return named('backspace');
  if (input === '\u0000') return [{ input: ' ', name: 'space', ctrl: true, meta: false, shift: false }];
  if (key.ctrl) return [{ input, ctrl: true, meta: key.meta, shift: key.shift }];
  return [...input].map((ch) => (ch === ' ' ? { input: ' ', name: 'space', ctrl: false, meta: false, shift: false } : { input: ch, ctrl: false, meta: key.meta, shift: false }));
}

/** Bindings from the `keys:` section of a fathom config file, over the defaults. */
export function keyBindingsFrom(raw: unknown): KeyBindings {
  if (!raw || typeof raw !== 'object') return DEFAULT_KEYS;
  const out: Record<string, readonly string[]> = { ...DEFAULT_KEYS };
  for (const [action, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!(action in DEFAULT_KEYS)) throw new Error(`keys.${action}: unknown action; known: ${Object.keys(DEFAULT_KEYS).join(', ')}`);
    const list = Array.isArray(v) ? v.map(String) : [String(v)];
    out[action] = list.map((s) => (s.trim().length === 1 ? s.trim() : s.trim().toLowerCase()));
  }
  return out as KeyBindings;
}
