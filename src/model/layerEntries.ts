import { float64Column, int32Column, uint8Column } from './columns.js';
import type { LayerRow, PathId } from './ids.js';
import type { PathTable } from './pathTable.js';
import type { ContentProbe, HiddenHow, LayerEntry } from './entryTypes.js';
import { Kind, kindName, type FileKind, type KindCode } from './kinds.js';

/**
 * One layer's entries as columns of numbers (about 42 bytes an entry) instead of one object each: memory per entry
 * is a budget (issue #2). Objects are made on demand by `entry(row)` for the consumers that want them. Every column
 * is indexed by the entry's row (LayerRow).
 */
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
  readonly path = int32Column<PathId, LayerRow>();
  readonly kind = uint8Column<KindCode, LayerRow>();
  readonly mode = int32Column<number, LayerRow>();
  private readonly uid = int32Column<number, LayerRow>();
  private readonly gid = int32Column<number, LayerRow>();
  /** Content size; for a whiteout, dive's size of what it deleted. */
  readonly size = float64Column<number, LayerRow>();
  private readonly hashLo = int32Column<number, LayerRow>();
  private readonly hashHi = int32Column<number, LayerRow>();
  /** Layer that hid the entry, -1 while visible. */
  readonly hiddenBy = int32Column<number, LayerRow>();
  /** hidden-how code in the low bits, plus the synthetic, missing and hashed flags. */
  private readonly flags = uint8Column<number, LayerRow>();
  private readonly links = new Map<LayerRow, string>();
  private readonly probes = new Map<LayerRow, ContentProbe>();

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

  private add(pathId: PathId, kind: KindCode, mode: number, uid: number, gid: number, size: number, flags: number): LayerRow {
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
  addFile(path: string, kind: KindCode, mode: number, uid: number, gid: number, size: number, link: string | undefined, hash: bigint | undefined, probe: ContentProbe | undefined): LayerRow {
    const row = this.add(this.paths.intern(path), kind, mode, uid, gid, size, hash === undefined ? 0 : HASHED);
    if (hash !== undefined) {
      this.hashLo.set(row, Number(hash & 0xffffffffn));
      this.hashHi.set(row, Number(hash >> 32n));
    }
    if (link !== undefined) this.links.set(row, link);
    if (probe !== undefined) this.probes.set(row, probe);
    return row;
  }

  addWhiteout(path: string): LayerRow {
    return this.add(this.paths.intern(path), Kind.whiteout, 0, 0, 0, 0, 0);
  }

  /** A whiteout implied by an opaque directory, for a path already interned. */
  addSyntheticWhiteout(pathId: PathId, deletedSize: number): LayerRow {
    return this.add(pathId, Kind.whiteout, 0, 0, 0, deletedSize, SYNTHETIC);
  }

  addOpaque(dir: string): LayerRow {
    return this.add(this.paths.intern(dir), Kind.opaque, 0, 0, 0, 0, 0);
  }

  isMissing(row: LayerRow): boolean {
    return (this.flags.get(row) & MISSING) !== 0;
  }

  setMissing(row: LayerRow): void {
    this.flags.set(row, this.flags.get(row) | MISSING);
  }

  how(row: LayerRow): number {
    return this.flags.get(row) & HOW_MASK;
  }

  /** Whether a path appears twice in this layer's tar (the later member is the one that counts). */
  hasDuplicatePaths(): boolean {
    for (let row = 0; row < this.count; row++) if (this.how(row as LayerRow) === DUPLICATE) return true;
    return false;
  }

  hide(row: LayerRow, byLayer: number, how: number): void {
    this.hiddenBy.set(row, byLayer);
    this.flags.set(row, (this.flags.get(row) & ~HOW_MASK) | how);
  }

  /**
   * Whether entry `row` here and entry `otherRow` of `other` have the same metadata and content (dive's "modified" test),
   * read straight from the columns.
   */
  sameContent(row: LayerRow, other: LayerEntries, otherRow: LayerRow): boolean {
    return (
      this.kind.get(row) === other.kind.get(otherRow) &&
      this.mode.get(row) === other.mode.get(otherRow) &&
      this.uid.get(row) === other.uid.get(otherRow) &&
      this.gid.get(row) === other.gid.get(otherRow) &&
      this.size.get(row) === other.size.get(otherRow) &&
      (this.flags.get(row) & HASHED) === (other.flags.get(otherRow) & HASHED) &&
      this.hashLo.get(row) === other.hashLo.get(otherRow) &&
      this.hashHi.get(row) === other.hashHi.get(otherRow) &&
      this.links.get(row) === other.links.get(otherRow)
    );
  }

  uidOf(row: LayerRow): number {
    return this.uid.get(row) >>> 0;
  }

  gidOf(row: LayerRow): number {
    return this.gid.get(row) >>> 0;
  }

  /** A symlink's target as written, or a hard link's target as an image path. */
  linkOf(row: LayerRow): string | undefined {
    return this.links.get(row);
  }

  /** Whether two regular files' contents hash the same (both hashed, same xxh64). */
  sameHash(row: LayerRow, other: LayerEntries, otherRow: LayerRow): boolean {
    return (
      (this.flags.get(row) & HASHED) !== 0 &&
      (other.flags.get(otherRow) & HASHED) !== 0 &&
      this.hashLo.get(row) === other.hashLo.get(otherRow) &&
      this.hashHi.get(row) === other.hashHi.get(otherRow)
    );
  }

  /** The content hash as hex, for regular files. */
  hashKey(row: LayerRow): string | undefined {
    if ((this.flags.get(row) & HASHED) === 0) return undefined;
    // one native hex conversion: the rules make every visible entry into an object, several times over
    HEX_SCRATCH.writeInt32BE(this.hashHi.get(row), 0);
    HEX_SCRATCH.writeInt32BE(this.hashLo.get(row), 4);
    return HEX_SCRATCH.toString('hex');
  }

  /** The entry as an object, for consumers that want one (reports, rules, the browser); `layer` is its index. */
  entry(row: LayerRow, layer: number): LayerEntry {
    const path = this.paths.path(this.path.get(row));
    const kind = this.kind.get(row);
    if (kind === Kind.whiteout) {
      const f = this.flags.get(row);
      return { type: 'whiteout', path, synthetic: (f & SYNTHETIC) !== 0, layer, deletedSize: this.size.get(row), missing: (f & MISSING) !== 0 };
    }
    if (kind === Kind.opaque) return { type: 'opaque', path, layer };
    return {
      type: 'entry',
      path,
      kind: kindName(kind) as FileKind,
      mode: this.mode.get(row),
      uid: this.uid.get(row) >>> 0,
      gid: this.gid.get(row) >>> 0,
      size: this.size.get(row),
      link: this.links.get(row),
      hash: this.hashKey(row),
      probe: this.probes.get(row),
      layer,
      hiddenBy: this.hiddenBy.get(row),
      hiddenHow: HOW_CODES[this.how(row)],
    };
  }

  /** A copy holding only the entries `keep` accepts (eStargz's own bookkeeping files are dropped this way). */
  filter(keep: (row: LayerRow) => boolean): LayerEntries {
    const c = new LayerEntries(this.paths);
    for (let i = 0 as LayerRow; i < this.count; i++) {
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
