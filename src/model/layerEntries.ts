import { float64Column, int32Column, uint8Column } from './columns.js';
import type { PathTable } from './pathTable.js';
import type { ContentProbe, FileKind, HiddenHow, LayerEntry } from './types.js';

/**
 * One layer's entries as columns of numbers (about 42 bytes an entry) instead of one object each: memory per entry
 * is a budget (issue #2). Objects are made on demand by `entry(i)` for the consumers that want them.
 */
const KIND_CODES: readonly (FileKind | 'whiteout' | 'opaque')[] = ['file', 'dir', 'symlink', 'hardlink', 'char', 'block', 'fifo', 'whiteout', 'opaque'];
export const FILE = 0;
export const DIR = 1;
export const SYMLINK = 2;
export const HARDLINK = 3;
export const WHITEOUT = 7;
export const OPAQUE = 8;

const HOW_CODES: readonly (HiddenHow | undefined)[] = [undefined, 'overwritten', 'deleted', 'opaque', 'duplicate'];
export const OVERWRITTEN = 1;
export const DELETED = 2;
export const OPAQUED = 3;
export const DUPLICATE = 4;

const HEX_SCRATCH = Buffer.alloc(8);

const HOW_MASK = 7;
const SYNTHETIC = 8;
const MISSING = 16;
const HASHED = 32;

export class LayerEntries {
  readonly path = int32Column();
  readonly kind = uint8Column();
  readonly mode = int32Column();
  private readonly uid = int32Column();
  private readonly gid = int32Column();
  /** Content size; for a whiteout, dive's size of what it deleted. */
  readonly size = float64Column();
  private readonly hashLo = int32Column();
  private readonly hashHi = int32Column();
  /** Layer that hid the entry, -1 while visible. */
  readonly hiddenBy = int32Column();
  /** hidden-how code in the low bits, plus the synthetic, missing and hashed flags. */
  private readonly flags = uint8Column();
  private readonly links = new Map<number, string>();
  private readonly probes = new Map<number, ContentProbe>();

  constructor(
    readonly paths: PathTable,
    from?: LayerEntries,
  ) {
    if (!from) return;
    this.path = from.path.clone();
    this.kind = from.kind.clone();
    this.mode = from.mode.clone();
    this.uid = from.uid.clone();
    this.gid = from.gid.clone();
    this.size = from.size.clone();
    this.hashLo = from.hashLo.clone();
    this.hashHi = from.hashHi.clone();
    this.hiddenBy = from.hiddenBy.clone();
    this.flags = from.flags.clone();
    this.links = new Map(from.links);
    this.probes = new Map(from.probes);
  }

  get count(): number {
    return this.kind.size;
  }

  private add(pathId: number, kind: number, mode: number, uid: number, gid: number, size: number, flags: number): number {
    this.path.push(pathId);
    this.kind.push(kind);
    this.mode.push(mode);
    this.uid.push(uid);
    this.gid.push(gid);
    this.size.push(size);
    this.hashLo.push(0);
    this.hashHi.push(0);
    this.hiddenBy.push(-1);
    return this.flags.push(flags);
  }

  /** A file-like entry; `hash` is the xxh64 of a regular file's content. */
  addFile(path: string, kind: number, mode: number, uid: number, gid: number, size: number, link: string | undefined, hash: bigint | undefined, probe: ContentProbe | undefined): number {
    const i = this.add(this.paths.intern(path), kind, mode, uid, gid, size, hash === undefined ? 0 : HASHED);
    if (hash !== undefined) {
      this.hashLo.set(i, Number(hash & 0xffffffffn));
      this.hashHi.set(i, Number(hash >> 32n));
    }
    if (link !== undefined) this.links.set(i, link);
    if (probe !== undefined) this.probes.set(i, probe);
    return i;
  }

  addWhiteout(path: string): number {
    return this.add(this.paths.intern(path), WHITEOUT, 0, 0, 0, 0, 0);
  }

  /** A whiteout implied by an opaque directory, for a path already interned. */
  addSyntheticWhiteout(pathId: number, deletedSize: number): number {
    return this.add(pathId, WHITEOUT, 0, 0, 0, deletedSize, SYNTHETIC);
  }

  addOpaque(dir: string): number {
    return this.add(this.paths.intern(dir), OPAQUE, 0, 0, 0, 0, 0);
  }

  isMissing(i: number): boolean {
    return (this.flags.get(i) & MISSING) !== 0;
  }

  setMissing(i: number): void {
    this.flags.set(i, this.flags.get(i) | MISSING);
  }

  how(i: number): number {
    return this.flags.get(i) & HOW_MASK;
  }

  hide(i: number, byLayer: number, how: number): void {
    this.hiddenBy.set(i, byLayer);
    this.flags.set(i, (this.flags.get(i) & ~HOW_MASK) | how);
  }

  /**
   * Whether entry `i` here and entry `j` of `other` have the same metadata and content (dive's "modified" test),
   * read straight from the columns.
   */
  sameContent(i: number, other: LayerEntries, j: number): boolean {
    return (
      this.kind.get(i) === other.kind.get(j) &&
      this.mode.get(i) === other.mode.get(j) &&
      this.uid.get(i) === other.uid.get(j) &&
      this.gid.get(i) === other.gid.get(j) &&
      this.size.get(i) === other.size.get(j) &&
      (this.flags.get(i) & HASHED) === (other.flags.get(j) & HASHED) &&
      this.hashLo.get(i) === other.hashLo.get(j) &&
      this.hashHi.get(i) === other.hashHi.get(j) &&
      this.links.get(i) === other.links.get(j)
    );
  }

  private hashKey(i: number): string | undefined {
    if ((this.flags.get(i) & HASHED) === 0) return undefined;
    // one native hex conversion: the rules make every visible entry into an object, several times over
    HEX_SCRATCH.writeInt32BE(this.hashHi.get(i), 0);
    HEX_SCRATCH.writeInt32BE(this.hashLo.get(i), 4);
    return HEX_SCRATCH.toString('hex');
  }

  /** The entry as an object, for consumers that want one (reports, rules, the browser); `layer` is its index. */
  entry(i: number, layer: number): LayerEntry {
    const path = this.paths.path(this.path.get(i));
    const kind = this.kind.get(i);
    if (kind === WHITEOUT) {
      const f = this.flags.get(i);
      return { type: 'whiteout', path, synthetic: (f & SYNTHETIC) !== 0, layer, deletedSize: this.size.get(i), missing: (f & MISSING) !== 0 };
    }
    if (kind === OPAQUE) return { type: 'opaque', path, layer };
    return {
      type: 'entry',
      path,
      kind: KIND_CODES[kind] as FileKind,
      mode: this.mode.get(i),
      uid: this.uid.get(i) >>> 0,
      gid: this.gid.get(i) >>> 0,
      size: this.size.get(i),
      link: this.links.get(i),
      hash: this.hashKey(i),
      probe: this.probes.get(i),
      layer,
      hiddenBy: this.hiddenBy.get(i),
      hiddenHow: HOW_CODES[this.how(i)],
    };
  }

  /** Every entry as objects, in tar order. */
  entries(layer: number): LayerEntry[] {
    const out: LayerEntry[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.entry(i, layer));
    return out;
  }

  /** A copy holding only the entries `keep` accepts (eStargz's own bookkeeping files are dropped this way). */
  filter(keep: (i: number) => boolean): LayerEntries {
    const c = new LayerEntries(this.paths);
    for (let i = 0; i < this.count; i++) {
      if (!keep(i)) continue;
      const j = c.add(this.path.get(i), this.kind.get(i), this.mode.get(i), this.uid.get(i), this.gid.get(i), this.size.get(i), this.flags.get(i));
      c.hashLo.set(j, this.hashLo.get(i));
      c.hashHi.set(j, this.hashHi.get(i));
      c.hiddenBy.set(j, this.hiddenBy.get(i));
      const link = this.links.get(i);
      if (link !== undefined) c.links.set(j, link);
      const probe = this.probes.get(i);
      if (probe !== undefined) c.probes.set(j, probe);
    }
    return c;
  }

  /** An independent copy: a blob used by two layers gets its own hidden state per use. */
  clone(): LayerEntries {
    return new LayerEntries(this.paths, this);
  }
}
