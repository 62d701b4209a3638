/**
 * One layer's entries as objects: what consumers that want an object per entry (reports, rules, the browser) are
 * given. The columns (LayerEntries) are what the model stores; these are made from them on demand.
 */
import type { FileKind } from './kinds.js';

/** How an entry stopped being visible in the merged filesystem. */
export type HiddenHow = 'overwritten' | 'deleted' | 'opaque' | 'duplicate';

/** One file-like entry of one layer's tar. */
export interface FileEntry {
  readonly type: 'entry';
  /** Normalised absolute path inside the image: `/a/b`. Data, never a host path. */
  readonly path: string;
  readonly kind: FileKind;
  /** Permission bits including setuid/setgid/sticky (07777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Size from the tar header (0 for links and directories). */
  readonly size: number;
  /** Symlink target as written, or hard-link target as a normalised image path. */
  readonly link: string | undefined;
  /** xxh64 of the content, hex; regular files only. */
  readonly hash: string | undefined;
  /** Facts gathered from the first bytes while streaming (ELF, shebang, key headers). */
  readonly probe: ContentProbe | undefined;
  /** Index of the layer that holds this entry. */
  readonly layer: number;
  /** Layer index that hid this entry in the merged filesystem, or -1 while visible at the top. */
  readonly hiddenBy: number;
  readonly hiddenHow: HiddenHow | undefined;
}

/** `.wh.NAME` in a layer, or a whiteout implied by an opaque directory (synthetic). */
export interface WhiteoutEntry {
  readonly type: 'whiteout';
  /** The path it deletes. */
  readonly path: string;
  readonly synthetic: boolean;
  readonly layer: number;
  /** dive's size for the deletion: subtree total if a directory was deleted, 0 for a file. */
  readonly deletedSize: number;
  /** true when nothing existed below at that path (ignored, with a note). */
  readonly missing: boolean;
}

/** `.wh..wh..opq` inside directory `path`. */
export interface OpaqueEntry {
  readonly type: 'opaque';
  readonly path: string;
  readonly layer: number;
}

export type LayerEntry = FileEntry | WhiteoutEntry | OpaqueEntry;

export interface VersionNeed {
  /** The DT_NEEDED name the versions are asked of. */
  readonly file: string;
  readonly versions: readonly string[];
}

export interface ElfFacts {
  readonly class: 32 | 64;
  readonly machine: number;
  /** PT_INTERP, the dynamic loader, when present. */
  readonly interpreter?: string;
  readonly needed: readonly string[];
  readonly runpath: readonly string[];
  readonly rpath: readonly string[];
  /** DT_VERNEED: the symbol versions each needed library must define (GLIBC_2.34 of libc.so.6), weak ones left out. */
  readonly versionNeeds: readonly VersionNeed[];
  /** DT_VERDEF: the versions this object defines; absent when it has none (or they lay beyond the bytes kept). */
  readonly versionDefines?: readonly string[];
  /** true when the dynamic section could not be read within the bounded window. */
  readonly incomplete: boolean;
  /**
   * Library file names the file holds as C strings besides its DT_NEEDED (`libm.so.6` of a `dlopen("libm.so.6")`),
   * at most 32; absent when none.
   */
  readonly libraryNames?: readonly string[];
  /** A Go program (its `.go.buildinfo` magic was seen): it verifies TLS against the system's CA store itself. */
  readonly go?: true;
}

export interface ContentProbe {
  readonly elf?: ElfFacts;
  /** Interpreter line of a `#!` script, e.g. `/bin/sh -e`. */
  readonly shebang?: string;
  /** A PEM private-key header or similar secret marker found at the start. */
  readonly secretHeader?: string;
  /** Whole text of the few small files rules read (/etc/passwd, /etc/group, /etc/shadow, /etc/ld.so.conf…). */
  readonly text?: string;
  /** The packages a package database lists as installed (dpkg status, apk's installed db), read as it streamed. */
  readonly packages?: PackageList;
}

export type PackageManager = 'dpkg' | 'apk';

export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  readonly arch?: string;
}

export interface PackageList {
  readonly manager: PackageManager;
  readonly packages: readonly InstalledPackage[];
}
