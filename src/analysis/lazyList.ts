/**
 * A read-only list whose items are made when asked for. Analysis results with one item per path (an image that
 * deletes 50,000 files has 50,000 inefficient paths) stay as typed arrays until a report or the browser reads them.
 */
export class LazyList<T> implements Iterable<T> {
  constructor(
    readonly length: number,
    private readonly make: (i: number) => T,
  ) {}

  at(i: number): T | undefined {
    return i >= 0 && i < this.length ? this.make(i) : undefined;
  }

  slice(start = 0, end = this.length): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.length); i++) out.push(this.make(i));
    return out;
  }

  map<U>(fn: (item: T, i: number) => U): U[] {
    const out: U[] = [];
    for (let i = 0; i < this.length; i++) out.push(fn(this.make(i), i));
    return out;
  }

  find(fn: (item: T) => boolean): T | undefined {
    for (let i = 0; i < this.length; i++) {
      const item = this.make(i);
      if (fn(item)) return item;
    }
    return undefined;
  }

  some(fn: (item: T) => boolean): boolean {
    return this.find(fn) !== undefined;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.make(i);
  }
}
