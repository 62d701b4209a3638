import type { Image, Layer } from '../model/imageTypes.js';

/** One row of the alignment: a layer of either image, placed by its diff_id. */
export interface AlignedLayer {
  readonly diffId: string;
  /** Its index in BASE, when BASE has this diff_id (at this row). */
  readonly base?: number;
  readonly head?: number;
  /**
   * `shared`: in the common prefix; `base-only`/`head-only`: after the prefix and absent from the other image;
   * `elsewhere`: after the prefix in HEAD, but BASE has the same diff_id at another place (nothing to pull).
   */
  readonly state: 'shared' | 'base-only' | 'head-only' | 'elsewhere';
  readonly size: number;
  /** Bytes as stored in the archive (compressed), the side's that has it; HEAD's when both. */
  readonly storedSize: number;
  readonly command: string;
}

export interface LayerAlignment {
  /** Length of the longest common prefix of the two diff_id lists. */
  readonly shared: number;
  /** Each side's diff_ids after that prefix, in order. */
  readonly baseOnly: readonly string[];
  readonly headOnly: readonly string[];
  /** The shared prefix, then BASE's rest, then HEAD's rest. */
  readonly rows: readonly AlignedLayer[];
  /**
   * Stored bytes of HEAD's layers whose diff_id BASE has nowhere: what a node that already holds BASE downloads
   * (each such diff_id counted once).
   */
  readonly pullBytes: number;
  readonly pullLayers: number;
}

/**
 * The two layer lists aligned by diff_id (the uncompressed tar's digest), never by index: a layer is the same
 * whether stored plain, gzip'd or zstd'd, in a docker save or an OCI archive.
 */
export function alignLayers(base: Image, head: Image): LayerAlignment {
  const b = base.layers;
  const h = head.layers;
  let shared = 0;
  while (shared < b.length && shared < h.length && b[shared]!.diffId === h[shared]!.diffId) shared++;
  const inBase = new Set(b.map((l) => l.diffId));
  const inHead = new Set(h.map((l) => l.diffId));
  const row = (l: Layer, side: 'base' | 'head', state: AlignedLayer['state']): AlignedLayer => ({
    diffId: l.diffId,
    [side]: l.index,
    state,
    size: l.size,
    storedSize: l.compressedSize,
    command: l.command,
  });
  const rows: AlignedLayer[] = [];
  for (let i = 0; i < shared; i++) rows.push({ ...row(h[i]!, 'head', 'shared'), base: i });
  for (const l of b.slice(shared)) rows.push(row(l, 'base', inHead.has(l.diffId) ? 'elsewhere' : 'base-only'));
  const pulled = new Set<string>();
  let pullBytes = 0;
  for (const l of h.slice(shared)) {
    const elsewhere = inBase.has(l.diffId);
    rows.push(row(l, 'head', elsewhere ? 'elsewhere' : 'head-only'));
    if (!elsewhere && !pulled.has(l.diffId)) {
      pulled.add(l.diffId);
      pullBytes += l.compressedSize;
    }
  }
  return {
    shared,
    baseOnly: b.slice(shared).map((l) => l.diffId),
    headOnly: h.slice(shared).map((l) => l.diffId),
    rows,
    pullBytes,
    pullLayers: pulled.size,
  };
}
