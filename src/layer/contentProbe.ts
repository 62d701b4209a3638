import type { ContentProbe } from '../model/entryTypes.js';
import { dynamicRange, elfFacts, isElf, parseElfLayout, type ElfLayout } from './elf.js';
import { ElfStringScan } from './elfStrings.js';

/** Bytes kept from the start of every regular file: enough for a shebang or a PEM header. */
const HEAD_BYTES = 256;
/** Bytes kept from the start of an ELF file while it streams: headers, .interp and usually .dynstr. */
const ELF_WINDOW = 1 << 20;
/** Largest dynamic section captured beyond the window. */
const MAX_DYNAMIC = 1 << 16;

/** Files whose text the rules read; kept whole up to this size. */
const TEXT_LIMIT = 256 << 10;
/**
 * The package managers' file lists (strip's --package): a line per installed file, so memory follows the file count;
 * a big image's apk db runs to megabytes. The bound is for a hostile file, and strip says when it was reached.
 */
export const FILE_LIST_LIMIT = 64 << 20;
const TEXT_FILES = new Set(['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/ld.so.conf', '/etc/os-release', '/etc/nsswitch.conf']);

/** How much of a file is kept as text (0: none): the few small files rules read, and the package file lists. */
export function textLimit(path: string): number {
  if (path === '/lib/apk/db/installed' || (path.startsWith('/var/lib/dpkg/info/') && path.endsWith('.list') && path.indexOf('/', 19) < 0)) return FILE_LIST_LIMIT;
  return TEXT_FILES.has(path) || (path.startsWith('/etc/ld.so.conf.d/') && path.endsWith('.conf')) ? TEXT_LIMIT : 0;
}

const PEM_MARK = Buffer.from('-----BEGIN ');
const SECRET_HEADERS = [
  /-----BEGIN ((RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/,
];

/**
 * Watches one regular file's bytes as they stream past and keeps only what the rules need.
 * Memory is bounded per file (at most ELF_WINDOW + MAX_DYNAMIC while the file streams) and freed after.
 */
export class ContentProbeCollector {
  private head: Buffer[] = [];
  private headLen = 0;
  /** The last head part is a view into a chunk: copied when the next chunk comes, as the file's buffers are reused. */
  private headIsView = false;
  private offset = 0;
  private elf = false;
  private layout: ElfLayout | undefined;
  private dyn: { offset: number; size: number } | undefined;
  private dynBytes: Buffer | undefined;
  private dynFilled = 0;
  private text: Buffer[] | undefined;
  private textLen = 0;
  private readonly textMax: number;
  private strings: ElfStringScan | undefined;

  /** `textMax`: keep the file's first bytes up to this as its text (0: not a text file). */
  constructor(textMax = 0) {
    this.textMax = textMax;
    if (textMax > 0) this.text = [];
  }

  update(chunk: Buffer): void {
    // most files end within their first chunk and copy nothing; a longer one keeps its head (a few hundred bytes, an
    // ELF's first MiB) past the chunks that held it
    if (this.headIsView) {
      this.head = [Buffer.concat(this.head)];
      this.headIsView = false;
    }
    if (this.text && this.textLen < this.textMax) {
      const part = chunk.subarray(0, this.textMax - this.textLen);
      this.text.push(Buffer.from(part));
      this.textLen += part.length;
    }
    const start = this.offset;
    this.offset += chunk.length;
    if (start === 0) {
      this.elf = isElf(chunk);
      if (this.elf) this.strings = new ElfStringScan();
    }
    this.strings?.update(chunk);
    const limit = this.elf ? ELF_WINDOW : HEAD_BYTES;
    if (this.headLen < limit) {
      const take = chunk.subarray(0, Math.min(chunk.length, limit - this.headLen));
      this.head.push(take);
      this.headLen += take.length;
      this.headIsView = true;
    }
    if (this.elf && this.dyn === undefined && this.headLen >= 64 && this.layout === undefined) {
      this.layout = parseElfLayout(Buffer.concat(this.head));
      const d = this.layout ? dynamicRange(this.layout) : undefined;
      this.dyn = d && d.size <= MAX_DYNAMIC ? d : { offset: 0, size: 0 };
    }
    // capture the dynamic section when it does not lie wholly inside the window
    if (this.dyn && this.dyn.size > 0 && this.dyn.offset + this.dyn.size > ELF_WINDOW) {
      const from = Math.max(this.dyn.offset, start);
      const to = Math.min(this.dyn.offset + this.dyn.size, this.offset);
      if (from < to) {
        this.dynBytes ??= Buffer.alloc(this.dyn.size);
        chunk.copy(this.dynBytes, from - this.dyn.offset, from - start, to - start);
        this.dynFilled += to - from;
      }
    }
  }

  finish(): ContentProbe | undefined {
    const head = this.head.length === 1 ? this.head[0]! : Buffer.concat(this.head);
    this.head = [];
    if (this.text) return { text: Buffer.concat(this.text).toString('utf8') };
    if (this.elf) {
      const layout = this.layout ?? parseElfLayout(head);
      if (!layout) return undefined;
      const read = (offset: number, size: number): Buffer | undefined => {
        if (offset + size <= head.length) return head.subarray(offset, offset + size);
        if (this.dynBytes && this.dyn && offset === this.dyn.offset && this.dynFilled === this.dyn.size) return this.dynBytes;
        return undefined;
      };
      const facts = elfFacts(layout, read);
      const found = this.strings!.finish();
      const names = found.names.filter((n) => !facts.needed.includes(n));
      return { elf: { ...facts, ...(names.length > 0 ? { libraryNames: names } : {}), ...(found.go ? { go: true as const } : {}) } };
    }
    if (head.length >= 2 && head[0] === 0x23 && head[1] === 0x21) {
      const nl = head.indexOf(0x0a);
      const line = head.toString('utf8', 2, nl < 0 ? head.length : nl).trim();
      return { shebang: line };
    }
    // most files hold no PEM block: look for the bytes before making a string
    if (head.indexOf(PEM_MARK) < 0) return undefined;
    const text = head.toString('latin1', 0, Math.min(head.length, HEAD_BYTES));
    for (const re of SECRET_HEADERS) {
      const m = re.exec(text);
      if (m) return { secretHeader: m[0] };
    }
    return undefined;
  }
}
