import type { BrowserOptions } from './browserState.js';
import type { Mark } from './fileTree.js';
import { parseKeyList } from './keySpec.js';
import { DEFAULT_KEYS, type Action, type KeyBindings } from './keys.js';

/**
 * dive's own configuration file (`~/.dive.yaml` and the other places src/cli/diveConfig.ts looks), read as dive
 * 0.12 reads it, as the browser's bindings and opening view. Only what the file says changes anything: a key it
 * leaves out keeps fathom's default (dive's defaults as a whole are `--dive-ui`). Keys dive knows and the browser has
 * no use for (log, container-engine, filetree.pane-width) are ignored, as dive ignores keys it does not know.
 */
export interface DiveSettings {
  readonly keys: KeyBindings;
  readonly options: BrowserOptions;
}

/** A value the browser cannot use: the key it is under and why (the CLI adds the file). */
export class DiveSettingError extends Error {
  constructor(
    readonly key: string,
    why: string,
  ) {
    super(`${key}: ${why}`);
  }
}

/**
 * dive's `keybinding.*` names and the action each is; where dive lists two names for one action the first that has
 * a value wins (runtime/ui/view/filetree.go: toggle-unchanged-files before toggle-unmodified-files).
 */
const DIVE_KEYBINDINGS: ReadonlyArray<readonly [Action, readonly string[]]> = [
  ['quit', ['quit']],
  ['toggleFocus', ['toggle-view']],
  ['filter', ['filter-files']],
  ['compareAll', ['compare-all']],
  ['compareLayer', ['compare-layer']],
  ['collapse', ['toggle-collapse-dir']],
  ['collapseAll', ['toggle-collapse-all-dir']],
  ['sortToggle', ['toggle-sort-order']],
  ['attributes', ['toggle-filetree-attributes']],
  ['hideAdded', ['toggle-added-files']],
  ['hideRemoved', ['toggle-removed-files']],
  ['hideModified', ['toggle-modified-files']],
  ['hideUnmodified', ['toggle-unchanged-files', 'toggle-unmodified-files']],
  ['wrapTree', ['toggle-wrap-tree']],
  ['pageUp', ['page-up']],
  ['pageDown', ['page-down']],
];

const DIFF_TYPES: readonly Mark[] = ['added', 'removed', 'modified', 'unmodified'];

type Section = Readonly<Record<string, unknown>>;

/** viper's keys are case-blind (`Keybinding:`, `Quit:`): every mapping's keys lower-cased. */
function section(raw: unknown, key: string): Section {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new DiveSettingError(key, 'expected a mapping of keys');
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
}

/** What viper's GetString makes of a scalar; a key set to nothing (null) is unset, as viper reads it. */
function scalarText(v: unknown, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(',');
  throw new DiveSettingError(key, 'expected keys as text (ctrl+f, ctrl+slash)');
}

/**
 * A boolean as dive's viper.GetBool reads it (spf13/cast): YAML's booleans (YAML 1.1: yes/no/on/off too), strconv's
 * ParseBool words, a number (non-zero is true). dive reads anything else as false without a word; here it is an
 * error, so a typo does not silently do the opposite.
 */
function bool(v: unknown, key: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
    if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  }
  throw new DiveSettingError(key, `expected true or false, not ${JSON.stringify(v)}`);
}

/** `diff.hide`: a YAML list, or a string split at white space as viper's GetStringSlice splits it. */
function hidden(v: unknown): ReadonlySet<Mark> | undefined {
  if (v === undefined || v === null) return undefined;
  const words = typeof v === 'string' ? v.split(/\s+/).filter((w) => w !== '') : Array.isArray(v) ? v.map(String) : undefined;
  if (!words) throw new DiveSettingError('diff.hide', `expected a list of ${DIFF_TYPES.join(', ')}`);
  const out = new Set<Mark>();
  for (const w of words) {
    const mark = DIFF_TYPES.find((t) => t === w.toLowerCase());
    if (!mark) throw new DiveSettingError('diff.hide', `unknown value ${JSON.stringify(w)} (one of ${DIFF_TYPES.join(', ')})`);
    out.add(mark);
  }
  return out;
}

function keybindings(raw: Section, base: KeyBindings): KeyBindings {
  const out: Record<Action, readonly string[]> = { ...base };
  for (const [action, names] of DIVE_KEYBINDINGS) {
    for (const name of names) {
      const key = `keybinding.${name}`;
      const text = scalarText(raw[name], key);
      if (text === undefined) continue;
      try {
        out[action] = parseKeyList(text);
      } catch (err) {
        throw new DiveSettingError(key, `${(err as Error).message} in ${JSON.stringify(text)}`);
      }
      break;
    }
  }
  return out;
}

/** The parsed YAML of a dive config file → the browser's bindings (over `base`) and opening view (over `options`). */
export function diveSettings(raw: unknown, base: KeyBindings = DEFAULT_KEYS, options: BrowserOptions = {}): DiveSettings {
  const top = section(raw, 'the file');
  const filetree = section(top['filetree'], 'filetree');
  const showAttributes = bool(filetree['show-attributes'], 'filetree.show-attributes');
  const collapseAll = bool(filetree['collapse-dir'], 'filetree.collapse-dir');
  const aggregated = bool(section(top['layer'], 'layer')['show-aggregated-changes'], 'layer.show-aggregated-changes');
  const hide = hidden(section(top['diff'], 'diff')['hide']);
  return {
    keys: keybindings(section(top['keybinding'], 'keybinding'), base),
    options: {
      ...options,
      ...(showAttributes !== undefined ? { showAttributes } : {}),
      ...(collapseAll !== undefined ? { collapseAll } : {}),
      ...(aggregated !== undefined ? { aggregated } : {}),
      ...(hide !== undefined ? { hide } : {}),
    },
  };
}

/**
 * `--dive-ui` (or `dive-ui: true` in a fathom config): dive 0.12's look — sorted by name (dive's tree is name-ordered
 * until ctrl+o), attributes shown (`filetree.show-attributes` defaults to true), tree guide lines.
 */
export const DIVE_UI_OPTIONS: BrowserOptions = { sort: 'name', showAttributes: true, treeGuideLines: true };
