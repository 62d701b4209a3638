import { PAGE_DATA_VERSION, type PageData } from '../../src/report/html/pageData.js';
import { byId, el } from './dom.js';
import { bytes, plural } from './format.js';
import { Palette } from './palette.js';
import { contentsTable, details, findingsList, hiddenList, href, layerChart, parseHref, statusBadge, summary, swatch } from './panels.js';
import { Treemap, type DrawnRect, type MapState } from './treemap.js';
import { Tree } from './tree.js';
import { alignmentPanel, diffSummary } from './diffView.js';
import { makeViews } from './views.js';

/** What the page exposes on `window.fathomReport`: the painted picture and the state, for tests and the curious. */
export interface ReportHandle {
  rects(): readonly DrawnRect[];
  size(): { width: number; height: number };
  state(): { view: string; root: string; selected: string | null; selectedNode: number };
  path(node: number): string;
}

function boot(): void {
  const data = JSON.parse(byId('fathom-data').textContent ?? '') as PageData;
  if (data.v !== PAGE_DATA_VERSION) throw new Error(`report data version ${String(data.v)}, this page reads ${PAGE_DATA_VERSION}`);
  const tree = new Tree(data.tree);
  const views = makeViews(tree);
  const palette = new Palette(data.layers.length, data.image.baseLayers);
  let state: MapState = { view: views[0]!, root: 0, selected: -1, highlight: -1 };
  let hovered = -1;

  document.title = `fathom: ${data.image.name}`;
  const header = el(
    'header',
    { class: 'top' },
    el('h1', null, el('span', { class: 'brand' }, 'fathom'), ' ', el('span', { class: 'image-name' }, data.diff ? `${data.diff.base.name} → ${data.image.name}` : data.image.name)),
    statusBadge(data.verdict),
  );
  const radios = views.map((v) => {
    const input = el('input', { type: 'radio', name: 'view', value: v.id });
    input.addEventListener('change', () => {
      if (input.checked) go(v.id, tree.path(state.root));
    });
    return { view: v, input, label: el('label', null, input, ` ${v.label} `, el('small', null, bytes(v.total))) };
  });
  const legend = el('p', { class: 'legend' });
  const crumbs = el('ol', { class: 'crumbs' });
  const host = el('div', { class: 'map-host' });
  const aside = el('aside', { class: 'details', 'aria-live': 'polite', 'aria-label': 'Details' });
  const contents = el('div', { class: 'contents-wrap' });
  const key = el('ul', { class: 'layer-key', 'aria-label': 'Layer colours' });
  // the layers each view colours by: those that still show bytes, and those that hid some
  const shows = new Set<number>();
  const hides = new Set<number>();
  for (let i = 0; i < tree.count; i++) {
    if (tree.children(i).length > 0) continue;
    if (tree.cols.size[i]! > 0 && tree.cols.layer[i]! >= 0) shows.add(tree.cols.layer[i]!);
    if (tree.cols.hidden[i]! > 0 && tree.cols.hiddenBy[i]! >= 0) hides.add(tree.cols.hiddenBy[i]!);
  }
  const toggleLayer = (k: number) => {
    state = { ...state, highlight: state.highlight === k ? -1 : k };
    update();
  };
  const layers = layerChart(data, palette, toggleLayer);
  const facts = data.treeFacts;
  const mapSection = el(
    'section',
    { class: 'map-section', 'aria-labelledby': 'map-title' },
    el('h2', { id: 'map-title' }, 'Where the bytes are'),
    el('div', { class: 'toolbar' }, el('fieldset', { class: 'views' }, el('legend', null, 'Show'), ...radios.map((r) => r.label)), legend),
    el('nav', { 'aria-label': 'Directory' }, crumbs),
    el('div', { class: 'map-area' }, host, aside),
    key,
    el(
      'p',
      { class: 'hint' },
      `Click or press Enter on a directory to open it; Escape or the path above goes back. Files under ${bytes(facts.sizeThreshold)} are grouped per directory as “small files”${facts.foldedDirs > 0 ? `, and ${plural(facts.foldedDirs, 'small directory', 'small directories')} folded into them` : ''}; every directory's figures are exact.`,
    ),
    contents,
  );
  const main = el('main', null, diffSummary(data), summary(data), mapSection, alignmentPanel(data), el('div', { class: 'columns' }, layers.element, el('div', null, findingsList(data, tree), hiddenList(data))));
  const footer = el('footer', null, `Made by ${data.generator}. Self-contained: this file loads nothing from the network.`);
  document.body.append(header, main, footer);

  const map = new Treemap(host, tree, palette, {
    hover(node) {
      hovered = node;
      showDetails();
    },
    activate,
    up() {
      if (state.root > 0) go(state.view.id, tree.path(tree.parent[state.root]!));
    },
  });

  /** A directory opens; a file (or a group of small files) is selected. */
  function activate(node: number): void {
    if (tree.isSmall(node)) {
      state = { ...state, selected: node };
      update();
    } else go(state.view.id, tree.path(node));
  }

  function go(view: string, path: string): void {
    const target = href(view, path);
    if (location.hash === target) apply();
    else location.hash = target;
  }

  /** The hash says what is shown: a directory opens, a file opens its directory and is selected. */
  function apply(): void {
    const at = parseHref(location.hash);
    const view = views.find((v) => v.id === at?.view) ?? views[0]!;
    const node = at ? tree.find(at.path) : 0;
    const root = tree.isDir(node) ? node : Math.max(0, tree.parent[node]!);
    state = { ...state, view, root, selected: at ? node : -1 };
    update();
  }

  function showDetails(): void {
    const node = hovered >= 0 ? hovered : state.selected >= 0 ? state.selected : state.root;
    aside.replaceChildren(...details(tree, data, state.view, node));
  }

  function update(): void {
    map.render(state);
    for (const r of radios) r.input.checked = r.view === state.view;
    legend.replaceChildren(state.view.legend, ' ', swatch(palette, -1, true), ' hatched');
    crumbs.replaceChildren(
      ...tree.lineage(state.root).map((q, i, all) =>
        el('li', null, el('a', { href: href(state.view.id, tree.path(q)), ...(i === all.length - 1 ? { 'aria-current': 'location' } : {}) }, tree.label(q))),
      ),
    );
    contents.replaceChildren(contentsTable(tree, data, state.view, state.root, activate));
    layers.setHighlight(state.highlight);
    const used = state.view.id === 'hidden' ? hides : shows;
    key.replaceChildren(
      ...data.layers
        .filter((l) => used.has(l.index))
        .map((l) => {
          const b = el('button', { type: 'button', 'aria-pressed': String(state.highlight === l.index), title: l.command }, swatch(palette, l.index), ` layer ${l.index}${l.base ? ' (base)' : ''}`);
          b.addEventListener('click', () => toggleLayer(l.index));
          return el('li', null, b);
        }),
    );
    showDetails();
  }

  const handle: ReportHandle = {
    rects: () => map.rects(),
    size: () => map.size(),
    state: () => ({ view: state.view.id, root: tree.path(state.root), selected: state.selected >= 0 ? tree.path(state.selected) : null, selectedNode: state.selected }),
    path: (node) => tree.path(node),
  };
  (window as unknown as { fathomReport: ReportHandle }).fathomReport = handle;
  addEventListener('hashchange', apply);
  apply();
  requestAnimationFrame(() => performance.mark('fathom-first-render'));
}

boot();
