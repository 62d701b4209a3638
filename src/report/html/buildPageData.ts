import { layerInstructions } from '../../dockerfile/layerLines.js';
import { imageName, type ReportContext } from '../reportContext.js';
import { buildFileTree, type FileTreeOptions } from './fileTree.js';
import { PAGE_DATA_VERSION, type CheckRow, type HiddenRow, type LayerRow, type PageData } from './pageData.js';

/** A rule may name thousands of paths; the page lists this many per check (the count of the rest is kept). */
const LOCATIONS_PER_CHECK = 200;
const LARGEST_HIDDEN = 50;
const HOW_INDEX = { overwritten: 1, deleted: 2, opaque: 3, duplicate: 4 } as const;

/** Everything the HTML page shows, from the same context every other report renders from. */
export function buildPageData(ctx: ReportContext, treeOptions: Omit<FileTreeOptions, 'keep'> = {}): PageData {
  const { image, analysis, gate } = ctx;
  const checks = [...gate.checks].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const largest = analysis.hidden.slice(0, LARGEST_HIDDEN);
  const keep: string[] = largest.map((h) => h.path);
  for (const c of checks) for (const l of c.locations.slice(0, LOCATIONS_PER_CHECK)) if (l.path !== undefined) keep.push(l.path);
  const tree = buildFileTree(image, analysis.hidden, { ...treeOptions, keep });

  const lines = ctx.dockerfile ? layerInstructions(image, ctx.dockerfile) : [];
  const baseCount = ctx.base?.count ?? 0;
  const layers = image.layers.map((l): LayerRow => {
    const ins = lines[l.index];
    return {
      index: l.index,
      digest: l.digest,
      size: l.size,
      visible: tree.visibleByLayer[l.index] ?? 0,
      hidden: tree.hiddenByLayer[l.index] ?? 0,
      command: l.command,
      base: l.index < baseCount,
      ...(ins ? { dockerfileLine: ins.line, dockerfileText: `${ins.op} ${ins.text}` } : {}),
    };
  });

  const checkRows = checks.map((c): CheckRow => {
    const shown = c.locations.slice(0, LOCATIONS_PER_CHECK);
    return {
      id: c.id,
      title: c.title,
      status: c.status,
      message: c.message,
      locations: shown.map((l) => {
        const ref = l.path !== undefined ? tree.nodeOf(l.path) : { node: -1, exact: false };
        return {
          ...(l.path !== undefined ? { path: l.path } : {}),
          ...(l.configField !== undefined ? { configField: l.configField } : {}),
          ...(l.layer !== undefined ? { layer: l.layer } : {}),
          node: ref.node,
          exact: ref.exact,
        };
      }),
      moreLocations: c.locations.length - shown.length,
      ...(c.helpText !== undefined ? { help: c.helpText } : {}),
    };
  });
  const largestHidden = largest.map((h): HiddenRow => ({ path: h.path, size: h.size, writtenBy: h.writtenBy, hiddenBy: h.hiddenBy, how: HOW_INDEX[h.how], node: tree.nodeOf(h.path).node }));

  const cfg = image.config;
  return {
    v: PAGE_DATA_VERSION,
    kind: 'image',
    generator: `fathom ${ctx.version}`,
    image: {
      name: imageName(image),
      id: image.id,
      source: image.source,
      platform: [cfg.os, cfg.architecture, cfg.variant].filter((x) => x).join('/'),
      ...(cfg.created !== undefined ? { created: cfg.created } : {}),
      sizeBytes: analysis.sizeBytes,
      userSizeBytes: analysis.userSizeBytes,
      visibleBytes: tree.columns.size[0] ?? 0,
      efficiency: analysis.efficiency,
      wastedBytes: analysis.wastedBytes,
      userWastedPercent: analysis.userWastedPercent,
      reclaimableBytes: analysis.reclaimableBytes,
      files: tree.columns.files[0] ?? 0,
      baseLayers: baseCount,
      baseDetail: ctx.base?.detail ?? '',
      ...(ctx.dockerfile ? { dockerfile: ctx.dockerfile.path } : {}),
    },
    verdict: gate.status,
    tally: gate.tally,
    layers,
    tree: tree.columns,
    treeFacts: tree.facts,
    checks: checkRows,
    largestHidden,
    hiddenCount: analysis.hidden.length,
    notes: image.notes,
  };
}

const ORDER = { FAIL: 0, WARN: 1, PASS: 2, SKIP: 3 } as const;
