import type { ElfFacts, VersionNeed } from '../model/entryTypes.js';

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_RPATH = 15;
const DT_RUNPATH = 29;

export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

interface ProgramHeader {
  readonly type: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
}

/** Byte ranges a streaming reader can capture: what the ELF header says lies beyond the head window. */
export interface ElfLayout {
  readonly is64: boolean;
  readonly little: boolean;
  readonly machine: number;
  readonly phdrs: readonly ProgramHeader[];
}

function reader(buf: Buffer, little: boolean) {
  return {
    u16: (o: number) => (little ? buf.readUInt16LE(o) : buf.readUInt16BE(o)),
    u32: (o: number) => (little ? buf.readUInt32LE(o) : buf.readUInt32BE(o)),
    u64: (o: number) => Number(little ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o)),
  };
}

/** Parse the ELF header and program headers from the first bytes; undefined when they are not all there. */
export function parseElfLayout(head: Buffer): ElfLayout | undefined {
  if (!isElf(head) || head.length < 64) return undefined;
  const is64 = head[4] === 2;
  const little = head[5] !== 2;
  const r = reader(head, little);
  const machine = r.u16(18);
  const phoff = is64 ? r.u64(32) : r.u32(28);
  const phentsize = r.u16(is64 ? 54 : 42);
  const phnum = r.u16(is64 ? 56 : 44);
  // each entry is read as a whole Elf64_Phdr (56 bytes) or Elf32_Phdr (32): a smaller e_phentsize is malformed, and
  // the bound is where the last entry's read ends, not e_phentsize × e_phnum
  const entrySize = is64 ? 56 : 32;
  if (phentsize < entrySize || phnum === 0 || phoff + (phnum - 1) * phentsize + entrySize > head.length) return undefined;
  const phdrs: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    phdrs.push(
      is64
        ? { type: r.u32(o), offset: r.u64(o + 8), vaddr: r.u64(o + 16), filesz: r.u64(o + 32) }
        : { type: r.u32(o), offset: r.u32(o + 4), vaddr: r.u32(o + 8), filesz: r.u32(o + 16) },
    );
  }
  return { is64, little, machine, phdrs };
}

export function dynamicRange(layout: ElfLayout): { offset: number; size: number } | undefined {
  const d = layout.phdrs.find((p) => p.type === PT_DYNAMIC);
  return d ? { offset: d.offset, size: d.filesz } : undefined;
}

/** A sparse view of the file: the head window plus captured ranges. */
export type ByteSource = (offset: number, size: number) => Buffer | undefined;

function cString(bytes: Buffer | undefined, at: number): string | undefined {
  if (!bytes || at >= bytes.length) return undefined;
  const end = bytes.indexOf(0, at);
  return bytes.toString('utf8', at, end < 0 ? bytes.length : end);
}

type Reader = ReturnType<typeof reader>;

/** The dynamic section's (tag, value) pairs up to DT_NULL; undefined when its bytes were not kept. */
function dynamicTags(layout: ElfLayout, read: ByteSource): Array<[number, number]> | undefined {
  const dyn = dynamicRange(layout);
  if (!dyn) return [];
  const bytes = read(dyn.offset, dyn.size);
  if (!bytes) return undefined;
  const rd = reader(bytes, layout.little);
  const entSize = layout.is64 ? 16 : 8;
  const tags: Array<[number, number]> = [];
  for (let o = 0; o + entSize <= bytes.length; o += entSize) {
    const tag = layout.is64 ? rd.u64(o) : rd.u32(o);
    if (tag === 0) break;
    tags.push([tag, layout.is64 ? rd.u64(o + 8) : rd.u32(o + 4)]);
  }
  return tags;
}

/** The file offset of a virtual address, through the PT_LOAD segment that maps it. */
function fileOffset(layout: ElfLayout, vaddr: number): number | undefined {
  const load = layout.phdrs.find((p) => p.type === PT_LOAD && p.vaddr <= vaddr && vaddr < p.vaddr + p.filesz);
  return load ? vaddr - load.vaddr + load.offset : undefined;
}

/** Walk a chain of records linked by a relative `next` field, at most `limit` of them, each `size` bytes. */
function* chain(read: ByteSource, little: boolean, first: number, size: number, limit: number, nextAt: number): Generator<Reader> {
  let at = first;
  for (let i = 0; i < limit; i++) {
    const bytes = read(at, size);
    if (!bytes) return;
    const r = reader(bytes, little);
    yield r;
    const next = r.u32(nextAt);
    if (next === 0) return;
    at += next;
  }
}

/** A bound on version records walked per object: glibc's libc defines about 40, a binary needs a handful. */
const MAX_VERSION_RECORDS = 4096;
const VER_FLG_BASE = 1;
const VER_FLG_WEAK = 2;

/** DT_VERNEED: per needed file (a DT_NEEDED name), the versions it must define; weak needs are left out. */
function versionNeeds(layout: ElfLayout, read: ByteSource, at: number, count: number, name: (o: number) => string | undefined): VersionNeed[] {
  const out: VersionNeed[] = [];
  for (const need of chain(read, layout.little, at, 16, Math.min(count, MAX_VERSION_RECORDS), 12)) {
    const file = name(need.u32(4));
    const versions: string[] = [];
    const auxAt = at + need.u32(8);
    for (const aux of chain(read, layout.little, auxAt, 16, Math.min(need.u16(2), MAX_VERSION_RECORDS), 12)) {
      const v = name(aux.u32(8));
      if (v !== undefined && (aux.u16(4) & VER_FLG_WEAK) === 0) versions.push(v);
    }
    if (file !== undefined && versions.length > 0) out.push({ file, versions });
    at += need.u32(12);
    if (need.u32(12) === 0) break;
  }
  return out;
}

/** DT_VERDEF: the version names this object defines (its own base name, VER_FLG_BASE, left out). */
function versionDefs(layout: ElfLayout, read: ByteSource, at: number, count: number, name: (o: number) => string | undefined): string[] {
  const out: string[] = [];
  let here = at;
  for (const def of chain(read, layout.little, at, 20, Math.min(count, MAX_VERSION_RECORDS), 16)) {
    const aux = read(here + def.u32(12), 8);
    const v = aux ? name(reader(aux, layout.little).u32(0)) : undefined;
    if (v !== undefined && (def.u16(2) & VER_FLG_BASE) === 0) out.push(v);
    here += def.u32(16);
  }
  return out;
}

const DT_VERDEF = 0x6ffffffc;
const DT_VERDEFNUM = 0x6ffffffd;
const DT_VERNEED = 0x6ffffffe;
const DT_VERNEEDNUM = 0x6fffffff;

/** The symbol-version tables; `defines` is absent when the object has no DT_VERDEF or it was not kept. */
function versionTables(layout: ElfLayout, read: ByteSource, tags: ReadonlyArray<[number, number]>, name: (o: number) => string | undefined) {
  const tag = (t: number) => tags.find(([k]) => k === t)?.[1];
  const needAt = tag(DT_VERNEED) !== undefined ? fileOffset(layout, tag(DT_VERNEED)!) : undefined;
  const defAt = tag(DT_VERDEF) !== undefined ? fileOffset(layout, tag(DT_VERDEF)!) : undefined;
  const needs = needAt !== undefined ? versionNeeds(layout, read, needAt, tag(DT_VERNEEDNUM) ?? 0, name) : [];
  const defines = defAt !== undefined && read(defAt, 20) ? versionDefs(layout, read, defAt, tag(DT_VERDEFNUM) ?? 0, name) : undefined;
  return { versionNeeds: needs, ...(defines ? { versionDefines: defines } : {}) };
}

/** The facts the `entrypoint-runnable` rule needs: the loader and the libraries, read from what was captured. */
export function elfFacts(layout: ElfLayout, read: ByteSource): ElfFacts {
  let incomplete = false;
  let interpreter: string | undefined;
  const interp = layout.phdrs.find((p) => p.type === PT_INTERP);
  if (interp) {
    interpreter = cString(read(interp.offset, interp.filesz), 0);
    if (interpreter === undefined) incomplete = true;
  }
  const needed: string[] = [];
  const runpath: string[] = [];
  const rpath: string[] = [];
  const tags = dynamicTags(layout, read);
  if (!tags) incomplete = true;
  const strtabAt = fileOffset(layout, tags?.find(([t]) => t === DT_STRTAB)?.[1] ?? -1);
  const strsz = tags?.find(([t]) => t === DT_STRSZ)?.[1] ?? 0;
  const strtab = strtabAt !== undefined ? read(strtabAt, strsz) : undefined;
  if (tags?.some(([t]) => t === DT_NEEDED || t === DT_RUNPATH || t === DT_RPATH) && !strtab) incomplete = true;
  for (const [tag, val] of tags ?? []) {
    const s = cString(strtab, val);
    if (s === undefined) continue;
    if (tag === DT_NEEDED) needed.push(s);
    else if (tag === DT_RUNPATH) runpath.push(...s.split(':').filter(Boolean));
    else if (tag === DT_RPATH) rpath.push(...s.split(':').filter(Boolean));
  }
  const versions = strtab && tags ? versionTables(layout, read, tags, (o) => cString(strtab, o)) : { versionNeeds: [] };
  return {
    class: layout.is64 ? 64 : 32,
    machine: layout.machine,
    ...(interpreter !== undefined ? { interpreter } : {}),
    needed,
    runpath,
    rpath,
    ...versions,
    incomplete,
  };
}
