/**
 * Key names as people write them in a config file, read with dive's syntax (awesome-gocui/keybinding, which dive
 * 0.12 parses `keybinding.*` with): `q`, `ctrl+f`, `ctrl+slash`, `ctrl+/`, `pgup`, `pagedown`, `space`, `enter`,
 * `esc`, `f1`, comma-separated alternatives (`ctrl+f, ctrl+slash`). Each becomes the name `matches` (keys.ts) gives
 * the key as the terminal sends it, so two names for the same byte are the same binding: ctrl+m and enter are 0x0d,
 * ctrl+i is Tab, ctrl+2 and ctrl+tilde are ctrl+space (NUL), ctrl+7, ctrl+underscore and ctrl+slash are 0x1f.
 *
 * Where dive is stricter fathom accepts what is unambiguous, such as a single character (dive takes letters only, so
 * `?` is fathom's), spaces around a name (dive refuses `ctrl+c, q` for the space before q), any letter case in a
 * named key (`Ctrl+F`, `PgUp`).
 */

/** dive's spellings of a token (keybinding's `translate` table), lower-cased. */
const TOKEN_ALIASES: Readonly<Record<string, string>> = {
  '/': 'slash',
  '\\': 'backslash',
  '[': 'lsqbracket',
  ']': 'rsqbracket',
  _: 'underscore',
  '~': 'tilde',
  escape: 'esc',
  pageup: 'pgup',
  pagedown: 'pgdn',
  pgdown: 'pgdn',
  up: 'arrowup',
  down: 'arrowdown',
  left: 'arrowleft',
  right: 'arrowright',
  ctl: 'ctrl',
};

/** Keys without ctrl: keybinding's names → the name the browser gives the key. */
const NAMED: Readonly<Record<string, string>> = {
  tab: 'tab',
  space: 'space',
  enter: 'return',
  esc: 'escape',
  backspace: 'backspace',
  // 0x7f: Ink names it delete, the browser reads it as Backspace (as a terminal's Backspace key sends it)
  backspace2: 'backspace',
  delete: 'backspace',
  pgup: 'pageup',
  pgdn: 'pagedown',
  arrowup: 'up',
  arrowdown: 'down',
  arrowleft: 'left',
  arrowright: 'right',
  home: 'home',
  end: 'end',
};

/** ctrl+ chords that are another key's byte (keybinding's KeyCtrl… constants are the bytes themselves). */
const CTRL_SAME_AS: Readonly<Record<string, string>> = {
  space: 'ctrl+space',
  '2': 'ctrl+space',
  tilde: 'ctrl+space',
  i: 'tab',
  h: 'backspace',
  '8': 'backspace',
  '3': 'escape',
  lsqbracket: 'escape',
  slash: 'ctrl+/',
  underscore: 'ctrl+/',
  '7': 'ctrl+/',
  backslash: 'ctrl+\\',
  '4': 'ctrl+\\',
  rsqbracket: 'ctrl+]',
  '5': 'ctrl+]',
  '6': 'ctrl+^',
};

/**
 * Keys dive accepts that a terminal read through Ink cannot tell apart (function keys, Insert, the mouse): kept as
 * written, so a dive config that binds them still loads, and never matched.
 */
const UNREADABLE = /^(f([1-9]|1[0-2])|insert|mouse(left|middle|right|release|wheelup|wheeldown))$/;

/** One key (`ctrl+f`, `pgup`, `q`) → the browser's name for it. Throws on a name neither dive nor fathom knows. */
export function parseKey(spec: string): string {
  const text = spec.trim();
  if (text === '') throw new Error('an empty key name');
  // a single character stands for itself, letters case and all (w and W differ)
  if ([...text].length === 1) return text === ' ' ? 'space' : text;
  const tokens = text.split(/[\s+]+/).filter((t) => t !== '').map((t) => {
    const lower = t.toLowerCase();
    return TOKEN_ALIASES[lower] ?? lower;
  });
  const alt = tokens.includes('alt');
  const rest = tokens.filter((t) => t !== 'alt');
  const name = keyName(rest);
  if (name === undefined) throw new Error(`unknown key "${text}"`);
  // alt with a named key (alt+up): what Ink reports as meta
  return alt ? `alt+${name}` : name;
}

function keyName(tokens: readonly string[]): string | undefined {
  if (tokens.length === 1) {
    const t = tokens[0]!;
    return NAMED[t] ?? (UNREADABLE.test(t) ? t : undefined);
  }
  if (tokens.length !== 2 || tokens[0] !== 'ctrl') return undefined;
  const t = tokens[1]!;
  if (CTRL_SAME_AS[t]) return CTRL_SAME_AS[t];
  // ctrl+m is Enter's byte: the browser reads Enter as ctrl+m too
  if (/^[a-z]$/.test(t)) return `ctrl+${t}`;
  return undefined;
}

/** A comma-separated list of keys (dive's `ctrl+f, ctrl+slash`), or a YAML list of them. */
export function parseKeyList(spec: string | readonly string[]): string[] {
  const parts = typeof spec === 'string' ? spec.split(',') : spec.flatMap((s) => (s.trim() === ',' ? [s] : s.split(',')));
  return parts.map(parseKey);
}
