import type { Action, KeyBindings } from './keys.js';

/** The status bar's line of hints: the actions a newcomer looks for, in this order, grouped where they pair up. */
const HINTS: ReadonlyArray<readonly [readonly Action[], string]> = [
  [['quit'], 'quit'],
  [['toggleFocus'], 'pane'],
  [['help'], 'keys'],
  [['search'], 'search'],
  [['filter'], 'filter'],
  [['sortSize'], 'size'],
  [['sortToggle'], 'sort'],
  [['attributes'], 'attrs'],
  [['waste'], 'waste'],
  [['findings'], 'findings'],
  [['compareLayer', 'compareAll'], 'compare'],
  [['hideAdded', 'hideRemoved', 'hideModified', 'hideUnmodified'], 'hide'],
  [['collapse'], 'fold'],
];

/** A binding as the status bar writes it: ctrl+o as ^o. */
export function keyLabel(binding: string): string {
  return binding.startsWith('ctrl+') ? `^${binding.slice('ctrl+'.length)}` : binding;
}

/** The shortest label among an action's bindings (the first on a tie): `/` rather than `^f` for the filter. */
function shortestLabel(bindings: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const label of bindings.map(keyLabel)) if (best === undefined || label.length < best.length) best = label;
  return best;
}

/** The hints for the active bindings, so a rebinding shows; an action bound to no key is left out. */
export function keyHints(keys: KeyBindings): string {
  return HINTS.flatMap(([actions, what]) => {
    const labels = actions.map((a) => shortestLabel(keys[a])).filter((l) => l !== undefined);
    return labels.length === 0 ? [] : [`${labels.join('/')} ${what}`];
  }).join(' · ');
}
