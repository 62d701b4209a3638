import type { ElfFacts } from '../model/entryTypes.js';

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

/** The facts the `entrypoint-runnable` rule needs: the loader and the libraries, read from what was captured. */
export function elfFacts(layout: ElfLayout, read: ByteSource): ElfFacts {
  const r = (b: Buffer) => reader(b, layout.little);
  let incomplete = false;
  let interpreter: string | undefined;
  const interp = layout.phdrs.find((p) => p.type === PT_INTERP);
  if (interp) {
    const bytes = read(interp.offset, interp.filesz);
    interpreter = cString(bytes, 0);
    if (interpreter === undefined) incomplete = true;
  }
  const needed: string[] = [];
  const runpath: string[] = [];
  const rpath: string[] = [];
  const dyn = dynamicRange(layout);
  if (dyn) {
    const bytes = read(dyn.offset, dyn.size);
    if (!bytes) {
      incomplete = true;
    } else {
      const rd = r(bytes);
      const entSize = layout.is64 ? 16 : 8;
      const tags: Array<[number, number]> = [];
      for (let o = 0; o + entSize <= bytes.length; o += entSize) {
        const tag = layout.is64 ? rd.u64(o) : rd.u32(o);
        const val = layout.is64 ? rd.u64(o + 8) : rd.u32(o + 4);
        if (tag === 0) break;
        tags.push([tag, val]);
      }
      const strtabAddr = tags.find(([t]) => t === DT_STRTAB)?.[1];
      const strsz = tags.find(([t]) => t === DT_STRSZ)?.[1] ?? 0;
      const load = layout.phdrs.find(
        (p) => p.type === PT_LOAD && strtabAddr !== undefined && p.vaddr <= strtabAddr && strtabAddr < p.vaddr + p.filesz,
      );
      const strtab = load && strtabAddr !== undefined ? read(strtabAddr - load.vaddr + load.offset, strsz) : undefined;
      if (tags.some(([t]) => t === DT_NEEDED || t === DT_RUNPATH || t === DT_RPATH) && !strtab) incomplete = true;
      for (const [tag, val] of tags) {
        const s = cString(strtab, val);
        if (s === undefined) continue;
        if (tag === DT_NEEDED) needed.push(s);
        else if (tag === DT_RUNPATH) runpath.push(...s.split(':').filter(Boolean));
        else if (tag === DT_RPATH) rpath.push(...s.split(':').filter(Boolean));
      }
    }
  }
  return {
    class: layout.is64 ? 64 : 32,
    machine: layout.machine,
    ...(interpreter !== undefined ? { interpreter } : {}),
    needed,
    runpath,
    rpath,
    incomplete,
  };
}
