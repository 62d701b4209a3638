import { StringDecoder } from 'node:string_decoder';
import type { InstalledPackage, PackageManager } from '../model/entryTypes.js';

/** Which package database a path is, if any: dpkg's status file (and distroless's status.d), apk's installed db. */
export function packageDbAt(path: string): PackageManager | undefined {
  if (path === '/var/lib/dpkg/status') return 'dpkg';
  if (path.startsWith('/var/lib/dpkg/status.d/') && !path.endsWith('.md5sums') && path.indexOf('/', 23) < 0) return 'dpkg';
  if (path === '/lib/apk/db/installed') return 'apk';
  return undefined;
}

/** The stanza fields each database names a package by: dpkg's `Field: value`, apk's one-letter `P:name`. */
/** A line longer than this holds no field worth reading: it is skipped, so one with no newline costs no memory. */
const MAX_LINE = 64 << 10;
/** Packages kept per database (Debian's largest images have a few thousand). */
const MAX_PACKAGES = 100_000;

const FIELDS: Record<PackageManager, { name: string; version: string; arch: string; status?: string }> = {
  dpkg: { name: 'Package', version: 'Version', arch: 'Architecture', status: 'Status' },
  apk: { name: 'P', version: 'V', arch: 'A' },
};

/**
 * Reads a package database as its bytes stream past, line by line, keeping only each stanza's name, version and
 * architecture: a 2 MB dpkg status file becomes a few hundred small records and is never held whole. dpkg stanzas
 * whose Status is not `… installed` (removed with config files left, half-installed) are not installed packages.
 */
export class PackageDbReader {
  private readonly decoder = new StringDecoder('utf8');
  private readonly fields: (typeof FIELDS)[PackageManager];
  private partial = '';
  /** Inside a line over MAX_LINE: its bytes are dropped up to its newline. */
  private skipping = false;
  private name = '';
  private version = '';
  private arch = '';
  private installed = true;
  private readonly out: InstalledPackage[] = [];

  constructor(readonly manager: PackageManager) {
    this.fields = FIELDS[manager];
  }

  update(chunk: Buffer): void {
    let text = this.decoder.write(chunk);
    if (this.skipping) {
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      this.skipping = false;
      text = text.slice(nl + 1);
    }
    // only the new text is searched for newlines: a long line is not rescanned with every chunk
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl >= 0) {
      this.line(this.partial + text.slice(0, nl));
      this.partial = '';
      start = nl + 1;
      for (nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
        this.line(text.slice(start, nl));
        start = nl + 1;
      }
    }
    this.partial += text.slice(start);
    if (this.partial.length > MAX_LINE) {
      this.partial = '';
      this.skipping = true;
    }
  }

  private line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return this.endStanza();
    // a continuation line (dpkg's multi-line fields) never holds a field we read
    if (line.startsWith(' ') || line.startsWith('\t')) return;
    const colon = line.indexOf(':');
    if (colon <= 0) return;
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (field === this.fields.name) this.name = value;
    else if (field === this.fields.version) this.version = value;
    else if (field === this.fields.arch) this.arch = value;
    else if (field === this.fields.status) this.installed = value.split(/\s+/).pop() === 'installed';
  }

  private endStanza(): void {
    if (this.name !== '' && this.installed && this.out.length < MAX_PACKAGES) {
      this.out.push({ name: this.name, version: this.version, ...(this.arch ? { arch: this.arch } : {}) });
    }
    this.name = '';
    this.version = '';
    this.arch = '';
    this.installed = true;
  }

  finish(): readonly InstalledPackage[] {
    const rest = this.decoder.end();
    if (!this.skipping) this.line(this.partial + rest);
    this.partial = '';
    this.endStanza();
    return this.out;
  }
}
