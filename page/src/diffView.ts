import { CHANGE_ADDED, CHANGE_MODIFIED, CHANGE_REMOVED, type PageData } from '../../src/report/html/pageData.js';
import { el } from './dom.js';
import { bytes, plural } from './format.js';
import type { Tree } from './tree.js';
import type { View } from './views.js';

/** A change's colour and word; removed paths are also hatched, so colour never carries the meaning alone. */
export const CHANGE_STYLE: Record<number, { readonly colour: string; readonly word: string }> = {
  0: { colour: '#b4b4b4', word: 'unchanged' },
  [CHANGE_ADDED]: { colour: '#59a14f', word: 'added' },
  [CHANGE_MODIFIED]: { colour: '#edc948', word: 'changed' },
  [CHANGE_REMOVED]: { colour: '#e15759', word: 'removed' },
};

/**
 * HEAD against BASE: the area of a path is its bytes in HEAD, or BASE's bytes for what HEAD removed (a ghost
 * area, hatched), so a directory's area is what it holds now plus what it lost; coloured by change.
 */
export function diffView(tree: Tree): View | undefined {
  const c = tree.cols;
  const change = c.change;
  const baseSize = c.baseSize;
  if (!change || !baseSize) return undefined;
  const ghost = new Float64Array(tree.count);
  // pre-order: every child comes after its parent, so one backward pass sums the removed bytes upward
  for (let i = tree.count - 1; i >= 0; i--) {
    if (tree.children(i).length === 0 && change[i] === CHANGE_REMOVED) ghost[i] = baseSize[i]!;
    const up = tree.parent[i]!;
    if (up >= 0) ghost[up]! += ghost[i]!;
  }
  return {
    id: 'diff',
    label: 'Changes',
    legend: 'Area: bytes in HEAD, and BASE’s bytes for what HEAD removed (hatched). Colour: added, changed, removed, unchanged.',
    area: (i) => c.size[i]! + ghost[i]!,
    colourLayer: (i) => c.layer[i]!,
    colour: (i) => CHANGE_STYLE[change[i]!]!.colour,
    hatched: (i) => change[i] === CHANGE_REMOVED,
    total: c.size[0]! + ghost[0]!,
  };
}

const signed = (n: number) => (n > 0 ? `+${bytes(n)}` : n < 0 ? `−${bytes(-n)}` : '±0 B');

/** The answer first: size and pull deltas, a start regression, the counts of changes and findings. */
export function diffSummary(data: PageData): HTMLElement | null {
  const d = data.diff;
  if (!d) return null;
  return el(
    'section',
    { class: 'diff-summary', 'aria-label': 'Change summary' },
    d.startRegression ? el('p', { class: 'regression', role: 'alert' }, 'HEAD no longer starts (BASE does): see the findings.') : null,
    el(
      'p',
      null,
      `${d.base.name} → ${data.image.name}: ${signed(d.sizeDelta)}, ${bytes(d.pullBytes)} to pull over BASE · ` +
        `${d.added} added, ${d.removed} removed, ${d.changed} changed, ${d.moved} moved · ${plural(d.newFindings, 'new finding')}, ${d.fixedFindings} fixed`,
    ),
    el('ul', { class: 'change-key', 'aria-label': 'Change colours' }, ...[CHANGE_ADDED, CHANGE_MODIFIED, CHANGE_REMOVED, 0].map((k) => changeSwatch(k))),
  );
}

function changeSwatch(k: number): HTMLElement {
  const s = el('span', { class: k === CHANGE_REMOVED ? 'swatch hatched' : 'swatch', 'aria-hidden': 'true' });
  s.style.backgroundColor = CHANGE_STYLE[k]!.colour;
  return el('li', null, s, ` ${CHANGE_STYLE[k]!.word}`);
}

const MARK = { shared: '=', 'base-only': '−', 'head-only': '+', elsewhere: '≈' } as const;
const STATE = { shared: 'shared', 'base-only': 'only in BASE', 'head-only': 'only in HEAD', elsewhere: 'in both, elsewhere' } as const;

/** The layers aligned by diff_id: the shared prefix, then what BASE had and what HEAD adds. */
export function alignmentPanel(data: PageData): HTMLElement | null {
  const d = data.diff;
  if (!d) return null;
  const rows = d.alignment.map((r) =>
    el(
      'tr',
      { class: `align-${r.state}` },
      el('td', { 'aria-label': STATE[r.state] }, MARK[r.state]),
      el('td', { class: 'num' }, r.base !== undefined ? String(r.base) : ''),
      el('td', { class: 'num' }, r.head !== undefined ? String(r.head) : ''),
      el('td', { class: 'num' }, bytes(r.size)),
      el('td', null, STATE[r.state]),
      el('td', null, el('code', { title: r.command }, r.command.length > 120 ? r.command.slice(0, 119) + '…' : r.command)),
    ),
  );
  return el(
    'section',
    { class: 'alignment', 'aria-labelledby': 'alignment-title' },
    el('h2', { id: 'alignment-title' }, 'Layers by diff_id'),
    el(
      'table',
      null,
      el('thead', null, el('tr', null, ...['', 'BASE', 'HEAD', 'Size', '', 'Command'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', null, ...rows),
    ),
  );
}
