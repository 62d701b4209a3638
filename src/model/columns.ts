/**
 * Growable columns of numbers, stored in fixed blocks so growing never copies the whole column (a doubling array
 * briefly holds old and new copies, which shows in peak memory). The first block itself starts small and doubles,
 * so a layer of ten entries does not pay for a full block.
 */
const SHIFT = 14;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;
const FIRST = 16;

// three element kinds only, so the loads in get/set stay polymorphic rather than megamorphic
type NumberArray = Int32Array | Uint8Array | Float64Array;
interface NumberArrayConstructor<A extends NumberArray> {
  new (length: number): A;
}

/** `V` is what the column holds and `K` what indexes it: the model's id types (ids.ts) where they apply. */
export class Column<A extends NumberArray, V extends number = number, K extends number = number> {
  private readonly blocks: A[] = [];
  private length = 0;

  constructor(private readonly make: NumberArrayConstructor<A>) {}

  get size(): number {
    return this.length;
  }

  /** Make room for index `this.length`, returning the block that holds it. */
  private room(): A {
    const b = this.length >>> SHIFT;
    let block = this.blocks[b];
    const at = this.length & MASK;
    if (block === undefined) {
      block = new this.make(b === 0 ? FIRST : BLOCK);
      this.blocks.push(block);
    } else if (at >= block.length) {
      const bigger = new this.make(Math.min(BLOCK, block.length * 2));
      bigger.set(block);
      this.blocks[b] = bigger;
      block = bigger;
    }
    return block;
  }

  get(i: K): V {
    return this.blocks[i >>> SHIFT]![i & MASK]! as V;
  }

  set(i: K, v: V): void {
    this.blocks[i >>> SHIFT]![i & MASK] = v;
  }

  /** Append a value; returns its index. */
  push(v: V): K {
    const block = this.room();
    block[this.length & MASK] = v;
    return this.length++ as K;
  }

  /** An independent copy (a layer blob used by two layers gets its own mutable state per use). */
  clone(): Column<A, V, K> {
    const c = new Column<A, V, K>(this.make);
    for (const b of this.blocks) c.blocks.push(b.slice() as A);
    c.length = this.length;
    return c;
  }
}

export const int32Column = <V extends number = number, K extends number = number>(): Column<Int32Array, V, K> => new Column(Int32Array);
export const uint8Column = <V extends number = number, K extends number = number>(): Column<Uint8Array, V, K> => new Column(Uint8Array);
export const float64Column = <V extends number = number, K extends number = number>(): Column<Float64Array, V, K> => new Column(Float64Array);

