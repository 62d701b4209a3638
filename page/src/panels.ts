import { HOW_NAMES, type CheckRow, type LayerRow, type PageData } from '../../src/report/html/pageData.js';
import { el } from './dom.js';
import { bytes, count, percent, plural, share } from './format.js';
import type { Palette } from './palette.js';
import type { Tree } from './tree.js';
import type { View } from './views.js';

/** `#final:/usr/lib`: a view and a path, each path segment percent-encoded (names may hold any character). */
export function href(view: string, path: string): string {
  return `#${view}:${path.split('/').map(encodeURIComponent).join('/')}`;
}

export function parseHref(hash: string): { view: string; path: string } | undefined {
  const m = /^#([a-z]+):(.*)$/.exec(hash);
  if (!m) return undefined;
  try {
    return { view: m[1]!, path: m[2]!.split('/').map(decodeURIComponent).join('/') || '/' };
  } catch {
    return undefined;
  }
}

const STATUS_ICON = { FAIL: '✖', WARN: '▲', PASS: '✔', SKIP: '–' } as const;

export function statusBadge(status: keyof typeof STATUS_ICON): HTMLElement {
  return el('span', { class: `badge badge-${status.toLowerCase()}` }, `${STATUS_ICON[status]} ${status}`);
}

export function layerName(layers: readonly LayerRow[], k: number): string {
  const l = layers[k];
  return l ? `layer ${k}${l.base ? ' (base image)' : ''}` : 'no layer';
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function swatch(palette: Palette, k: number, hatched = false): HTMLElement {
  const s = el('span', { class: hatched ? 'swatch hatched' : 'swatch', 'aria-hidden': 'true' });
  s.style.backgroundColor = palette.layer(k);
  return s;
}

export function summary(data: PageData): HTMLElement {
  const i = data.image;
  const t = data.tally;
  const fig = (label: string, value: string, note?: string) => el('div', { class: 'figure' }, el('dt', null, label), el('dd', null, value, note ? el('small', null, note) : null));
  return el(
    'section',
    { class: 'summary', 'aria-label': 'Summary' },
    el(
      'dl',
      { class: 'figures' },
      fig('Image size', bytes(i.sizeBytes), `${plural(data.layers.length, 'layer')}, ${plural(i.files, 'file')} visible`),
      fig('Efficiency', percent(i.efficiency, 2), "dive's score"),
      fig('Wasted', bytes(i.wastedBytes), `dive's figure · ${percent(i.userWastedPercent)} of user bytes`),
      fig('Reclaimable', bytes(i.reclaimableBytes), `${plural(data.hiddenCount, 'hidden entry', 'hidden entries')}`),
      fig('Findings', `${t.fail} failed · ${t.warn} warnings`, `${t.pass} passed · ${t.skip} skipped`),
    ),
    el('p', { class: 'meta' }, `${i.platform} · ${i.id.slice(0, 19)} · ${i.source}${i.created ? ` · created ${i.created}` : ''} · base: ${i.baseDetail || `${i.baseLayers} layer(s)`}`),
    ...data.notes.map((n) => el('p', { class: 'note' }, `Note: ${n}`)),
  );
}

/** Each layer's bytes as a bar: still visible at the top, and later hidden (hatched). */
export function layerChart(data: PageData, palette: Palette, onToggle: (k: number) => void): { element: HTMLElement; setHighlight(k: number): void } {
  const max = Math.max(1, ...data.layers.map((l) => l.size));
  const buttons: HTMLButtonElement[] = [];
  const rows = data.layers.map((l) => {
    const visible = el('span', { class: 'bar-visible' });
    visible.style.width = `${(100 * l.visible) / max}%`;
    visible.style.backgroundColor = palette.layer(l.index);
    const hidden = el('span', { class: 'bar-hidden' });
    hidden.style.width = `${(100 * l.hidden) / max}%`;
    hidden.style.backgroundColor = palette.layer(l.index);
    const button = el(
      'button',
      { type: 'button', class: 'layer-button', 'aria-pressed': 'false', title: 'Pick out this layer in the map' },
      swatch(palette, l.index),
      el('strong', null, `Layer ${l.index}`),
      l.base ? el('span', { class: 'tag' }, 'base') : null,
      el('span', { class: 'layer-size' }, `${bytes(l.size)}`, l.hidden > 0 ? ` · ${bytes(l.hidden)} hidden later` : ''),
    );
    button.addEventListener('click', () => onToggle(l.index));
    buttons.push(button);
    return el(
      'li',
      { class: 'layer' },
      button,
      el('div', { class: 'bar', role: 'img', 'aria-label': `${bytes(l.visible)} still visible, ${bytes(l.hidden)} hidden by later layers` }, visible, hidden),
      el('code', { class: 'command', title: l.command }, clip(l.command, 220) || '(no command recorded)'),
      l.dockerfileLine !== undefined ? el('div', { class: 'dockerfile' }, `${(data.image.dockerfile ?? 'Dockerfile').replace(/^.*\//, '')}:${l.dockerfileLine} `, el('code', null, clip(l.dockerfileText ?? '', 160))) : null,
    );
  });
  const element = el(
    'section',
    { class: 'layers', 'aria-labelledby': 'layers-title' },
    el('h2', { id: 'layers-title' }, 'Layers'),
    el('p', { class: 'hint' }, 'Solid: bytes still visible in the final image. Hatched: bytes a later layer overwrote or deleted. Choose a layer to pick it out in the map.'),
    el('ol', { class: 'layer-list' }, ...rows),
  );
  return {
    element,
    setHighlight(k: number) {
      buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(i === k)));
    },
  };
}

export function findingsList(data: PageData, tree: Tree): HTMLElement {
  const item = (c: CheckRow) =>
    el(
      'li',
      { class: `finding finding-${c.status.toLowerCase()}` },
      el('div', { class: 'finding-head' }, statusBadge(c.status), ' ', el('strong', null, c.title), ' ', el('code', null, c.id)),
      el('p', null, c.message),
      c.locations.length > 0
        ? el(
            'ul',
            { class: 'locations' },
            ...c.locations.map((l) =>
              el(
                'li',
                null,
                l.path !== undefined
                  ? el('a', { href: href('final', l.node >= 0 && !l.exact ? tree.path(l.node) : l.path), 'data-path': l.path }, l.path)
                  : el('code', null, l.configField ?? ''),
                l.layer !== undefined ? ` · ${layerName(data.layers, l.layer)}` : '',
                l.path !== undefined && !l.exact ? el('small', null, ' (no bytes of its own: shown within its directory)') : '',
              ),
            ),
            c.moreLocations > 0 ? el('li', null, `and ${count(c.moreLocations)} more`) : null,
          )
        : null,
    );
  const failing = data.checks.filter((c) => c.status === 'FAIL' || c.status === 'WARN');
  const rest = data.checks.filter((c) => c.status === 'PASS' || c.status === 'SKIP');
  return el(
    'section',
    { class: 'findings', 'aria-labelledby': 'findings-title' },
    el('h2', { id: 'findings-title' }, 'Findings'),
    failing.length > 0 ? el('ol', { class: 'finding-list' }, ...failing.map(item)) : el('p', null, 'No check failed or warned.'),
    rest.length > 0 ? el('details', null, el('summary', null, `${rest.length} passed or skipped`), el('ol', { class: 'finding-list' }, ...rest.map(item))) : null,
  );
}

export function hiddenList(data: PageData): HTMLElement {
  const rows = data.largestHidden.map((h) =>
    el(
      'tr',
      null,
      el('td', { class: 'num' }, bytes(h.size)),
      el('td', null, el('a', { href: href('hidden', h.path) }, h.path)),
      el('td', null, `layer ${h.writtenBy}`),
      el('td', null, `${HOW_NAMES[h.how] ?? ''} by layer ${h.hiddenBy}`),
    ),
  );
  return el(
    'section',
    { class: 'hidden-files', 'aria-labelledby': 'hidden-title' },
    el('h2', { id: 'hidden-title' }, 'Largest hidden bytes'),
    rows.length === 0
      ? el('p', null, 'Every byte the layers carry is visible in the final image.')
      : el(
          'table',
          null,
          el('caption', null, `Bytes shipped in a layer but not visible in the final image (${count(Math.min(rows.length, data.hiddenCount))} of ${count(data.hiddenCount)})`),
          el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Size'), el('th', { scope: 'col' }, 'Path'), el('th', { scope: 'col' }, 'Written by'), el('th', { scope: 'col' }, 'Hidden'))),
          el('tbody', null, ...rows),
        ),
  );
}

/** The text alternative of the map: the zoomed directory's entries, largest first. */
export function contentsTable(tree: Tree, data: PageData, view: View, root: number, open: (node: number) => void): HTMLElement {
  const c = tree.cols;
  const kids = [...tree.children(root)].filter((k) => view.area(k) > 0).sort((a, b) => view.area(b) - view.area(a));
  const shown = kids.slice(0, 40);
  const total = view.area(root);
  const rows = shown.map((k) => {
    const name = el('button', { type: 'button', class: 'link' }, tree.label(k) + (tree.isDir(k) ? '/' : ''));
    name.addEventListener('click', () => open(k));
    return el(
      'tr',
      null,
      el('th', { scope: 'row' }, name),
      el('td', { class: 'num' }, bytes(view.area(k))),
      el('td', { class: 'num' }, share(view.area(k), total)),
      el('td', { class: 'num' }, count(view.id === 'hidden' ? c.hiddenFiles[k]! : c.files[k]!)),
      el('td', null, layerName(data.layers, view.colourLayer(k))),
      el('td', { class: 'num' }, view.id === 'hidden' ? '' : c.hidden[k]! > 0 ? bytes(c.hidden[k]!) : ''),
    );
  });
  return el(
    'table',
    { class: 'contents' },
    el('caption', null, `${view.label}: largest entries in ${tree.path(root)}${kids.length > shown.length ? ` (${shown.length} of ${kids.length})` : ''}`),
    el(
      'thead',
      null,
      el('tr', null, ...['Name', 'Size', 'Share', 'Files', view.id === 'hidden' ? 'Hidden by' : 'Layer', view.id === 'hidden' ? '' : 'Hidden below'].map((h) => el('th', { scope: 'col' }, h))),
    ),
    el('tbody', null, ...rows),
  );
}

/** What the pointer or keyboard is on (or the selection): path, size, layer and command, hidden bytes and why. */
export function details(tree: Tree, data: PageData, view: View, node: number): HTMLElement[] {
  if (node < 0) return [el('p', { class: 'hint' }, 'Point at or tab to a rectangle for its details.')];
  const c = tree.cols;
  const layers = data.layers;
  const dir = tree.isDir(node);
  const small = tree.isSmall(node);
  const out: HTMLElement[] = [];
  out.push(el('h3', { class: 'path' }, small ? `${tree.label(node)} in ${tree.path(node)}` : tree.path(node)));
  out.push(el('p', null, dir ? `Directory · ${plural(c.files[node]!, 'file')}` : small ? `Files each under ${bytes(data.treeFacts.sizeThreshold)}, grouped` : 'File'));
  const dl = el('dl', { class: 'facts' });
  const row = (k: string, ...v: (string | HTMLElement)[]) => dl.append(el('dt', null, k), el('dd', null, ...v));
  row('Visible', `${bytes(c.size[node]!)} (${share(c.size[node]!, data.image.visibleBytes)} of the image)`);
  const k = c.layer[node]!;
  if (k >= 0) row(dir || small ? 'Mostly from' : 'Written by', `${layerName(layers, k)}: `, el('code', null, clip(layers[k]?.command ?? '', 200)));
  if (c.hidden[node]! > 0) {
    const how = HOW_NAMES[c.how[node]!] || 'hidden';
    row('Hidden', `${bytes(c.hidden[node]!)} in ${plural(c.hiddenFiles[node]!, 'entry', 'entries')} the final image does not show`);
    row(dir ? 'Mostly written by' : 'Written by', layerName(layers, c.hiddenFrom[node]!));
    row(dir ? 'Mostly hidden by' : `${how[0]!.toUpperCase()}${how.slice(1)} by`, `${layerName(layers, c.hiddenBy[node]!)}: `, el('code', null, clip(layers[c.hiddenBy[node]!]?.command ?? '', 200)));
  }
  const line = dir || small ? undefined : layers[view.colourLayer(node)];
  if (line?.dockerfileLine !== undefined) row('Dockerfile', `line ${line.dockerfileLine}: `, el('code', null, clip(line.dockerfileText ?? '', 160)));
  out.push(dl);
  return out;
}
