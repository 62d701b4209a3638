/**
 * What an ELF file's bytes say beyond its dynamic section, gathered as it streams past: the library file names it
 * holds as C strings (`dlopen("libm.so.6")` leaves `libm.so.6\0` in .rodata — ldd never sees those), and whether it
 * is a Go program (Go's `.go.buildinfo` section starts with the `\xff Go buildinf:` magic; Go carries its own TLS
 * and reads the system's CA store). Only a bounded set of short names is kept: memory follows the files, not bytes.
 */

const SO = Buffer.from('.so');
const GO_BUILDINFO = Buffer.from('\xff Go buildinf:', 'latin1');
/** Names kept per file: a program names a handful; past this, the rest are very likely not names it opens. */
export const MAX_LIBRARY_NAMES = 32;
const MAX_NAME = 128;
/** Bytes of one chunk kept to find a name (or the magic) that straddles the next chunk's start. */
const EDGE = MAX_NAME + 16;

const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;
/** A file-name byte of a library name: letters, digits, `.`, `_`, `+`, `-` (no `/`, no `%` of a format string). */
const isNameByte = (b: number) => (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || isDigit(b) || b === 0x2e || b === 0x5f || b === 0x2b || b === 0x2d;

/**
 * The whole C string around the `.so` at `at`, when it is a bare library name `lib….so(.N)*`: a NUL before and
 * after (so a path such as `/usr/lib/libx.so` or a longer word is not taken), or undefined.
 */
function nameAround(buf: Buffer, at: number): string | undefined {
  let end = at + 3;
  while (buf[end] === 0x2e && isDigit(buf[end + 1])) {
    end += 2;
    while (isDigit(buf[end])) end++;
  }
  if (end >= buf.length || buf[end] !== 0) return undefined;
  let start = at;
  while (start > 0 && at - start < MAX_NAME && isNameByte(buf[start - 1]!)) start--;
  if (start === 0 || buf[start - 1] !== 0) return undefined;
  if (buf[start] !== 0x6c || buf[start + 1] !== 0x69 || buf[start + 2] !== 0x62 || start + 3 === at) return undefined;
  return buf.toString('latin1', start, end);
}

export class ElfStringScan {
  private readonly names = new Set<string>();
  private tail: Buffer | undefined;
  private go = false;

  update(chunk: Buffer): void {
    if (this.tail) {
      // what straddles the chunk boundary: the tail before it and the start of this chunk (a name seen twice is one)
      const joint = Buffer.concat([this.tail, chunk.subarray(0, EDGE)]);
      this.scan(joint);
      this.tail = chunk.length >= EDGE ? Buffer.from(chunk.subarray(chunk.length - EDGE)) : joint.subarray(Math.max(0, joint.length - EDGE));
    } else {
      this.tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - EDGE)));
    }
    this.scan(chunk);
  }

  private scan(buf: Buffer): void {
    for (let i = buf.indexOf(SO); i >= 0 && this.names.size < MAX_LIBRARY_NAMES; i = buf.indexOf(SO, i + 3)) {
      const name = nameAround(buf, i);
      if (name !== undefined) this.names.add(name);
    }
    if (!this.go && buf.indexOf(GO_BUILDINFO) >= 0) this.go = true;
  }

  /** The names found, in the order met, and whether the Go build-info magic was. */
  finish(): { names: string[]; go: boolean } {
    this.tail = undefined;
    return { names: [...this.names], go: this.go };
  }
}
