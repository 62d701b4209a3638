/**
 * Rename one version a linked ELF needs (a DT_VERNEED auxiliary entry, e.g. `GLIBC_2.34` of libc.so.6) and fix its
 * ELF hash, so a real gcc-built binary asks for a glibc that does not exist. The dynamic loader then refuses it
 * exactly as it refuses a binary built on a newer distribution: "version `GLIBC_2.99' not found (required by …)".
 * Written for the test fixtures independently of fathom's own ELF reader (ELF64 little-endian, section headers).
 */

const SHT_GNU_VERNEED = 0x6ffffffe;

/** The System V ABI's ELF hash, which vna_hash holds and the loader compares before the name. */
export function elfHash(name: string): number {
  let h = 0;
  for (const c of Buffer.from(name, 'latin1')) {
    h = ((h << 4) + c) >>> 0;
    const g = h & 0xf0000000;
    if (g !== 0) h ^= g >>> 24;
    h = (h & ~g) >>> 0;
  }
  return h;
}

function cString(buf: Buffer, at: number): string {
  const end = buf.indexOf(0, at);
  return buf.toString('latin1', at, end < 0 ? buf.length : end);
}

/** A copy of `elf` whose needed version `from` reads `to` (not longer than `from`: the string is rewritten in place). */
export function renameNeededVersion(elf: Buffer, from: string, to: string): Buffer {
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) throw new Error('not an ELF64 little-endian file');
  if (to.length > from.length) throw new Error(`${to} is longer than ${from}`);
  const out = Buffer.from(elf);
  const shoff = Number(out.readBigUInt64LE(0x28));
  const shentsize = out.readUInt16LE(0x3a);
  const shnum = out.readUInt16LE(0x3c);
  const section = (i: number) => {
    const at = shoff + i * shentsize;
    return { type: out.readUInt32LE(at + 4), offset: Number(out.readBigUInt64LE(at + 0x18)), link: out.readUInt32LE(at + 0x28), info: out.readUInt32LE(at + 0x2c) };
  };
  let renamed = 0;
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (s.type !== SHT_GNU_VERNEED) continue;
    const strtab = section(s.link).offset;
    let need = s.offset;
    for (let n = 0; n < s.info; n++) {
      const count = out.readUInt16LE(need + 2);
      let aux = need + out.readUInt32LE(need + 8);
      for (let a = 0; a < count; a++) {
        const nameAt = strtab + out.readUInt32LE(aux + 8);
        if (cString(out, nameAt) === from) {
          out.fill(0, nameAt, nameAt + from.length);
          out.write(to, nameAt, 'latin1');
          out.writeUInt32LE(elfHash(to), aux);
          renamed++;
        }
        aux += out.readUInt32LE(aux + 12);
      }
      need += out.readUInt32LE(need + 12);
    }
  }
  if (renamed === 0) throw new Error(`no needed version ${from} in this ELF`);
  return out;
}
