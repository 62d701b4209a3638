/**
 * The image model: what every consumer (metrics, rules, gate, reporters, TUI) reads.
 * It holds file metadata, never file bytes; memory grows with the number of entries.
 */
import type { ImageFiles } from './imageFiles.js';
import type { LayerEntries } from './layerEntries.js';

export type FileKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

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

export interface ElfFacts {
  readonly class: 32 | 64;
  readonly machine: number;
  /** PT_INTERP, the dynamic loader, when present. */
  readonly interpreter?: string;
  readonly needed: readonly string[];
  readonly runpath: readonly string[];
  readonly rpath: readonly string[];
  /** true when the dynamic section could not be read within the bounded window. */
  readonly incomplete: boolean;
}

export interface ContentProbe {
  readonly elf?: ElfFacts;
  /** Interpreter line of a `#!` script, e.g. `/bin/sh -e`. */
  readonly shebang?: string;
  /** A PEM private-key header or similar secret marker found at the start. */
  readonly secretHeader?: string;
  /** Whole text of the few small files rules read (/etc/passwd, /etc/group, /etc/shadow, /etc/ld.so.conf…). */
  readonly text?: string;
}

export type Compression = 'none' | 'gzip' | 'zstd';

export interface Layer {
  readonly index: number;
  /** Where the blob sat in the archive (e.g. `<id>/layer.tar`, `blobs/sha256/<hex>`). */
  readonly archivePath: string;
  /** sha256 of the blob as stored (compressed bytes). */
  readonly digest: string;
  /** sha256 of the uncompressed tar, checked against the config's rootfs.diff_ids. */
  readonly diffId: string;
  readonly mediaType: string;
  readonly compression: Compression;
  readonly compressedSize: number;
  /** Σ of the tar headers' sizes of every entry, as dive counts it. */
  readonly size: number;
  readonly command: string;
  readonly created?: string;
  readonly comment?: string;
  /** This layer's entries as columns: what the analysis reads. */
  readonly files: LayerEntries;
  /** This layer's entries as objects, made on each access (for reports and tests; the columns are cheaper). */
  readonly entries: readonly LayerEntry[];
}

export interface HistoryItem {
  readonly created?: string;
  readonly createdBy: string;
  readonly comment?: string;
  readonly emptyLayer: boolean;
  /** The layer this item produced, or undefined for an empty-layer item. */
  readonly layerIndex?: number;
}

export interface HealthcheckConfig {
  readonly test: readonly string[];
}

export interface ImageConfig {
  readonly user: string;
  readonly cmd: readonly string[] | null;
  readonly entrypoint: readonly string[] | null;
  readonly env: readonly string[];
  readonly workingDir: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly healthcheck: HealthcheckConfig | null;
  readonly exposedPorts: readonly string[];
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly created?: string;
  readonly diffIds: readonly string[];
}

export interface Image {
  /** What the user asked for (path, `-`, or reference). */
  readonly source: string;
  readonly tags: readonly string[];
  /** sha256 of the config blob: the image id. */
  readonly id: string;
  readonly layout: string;
  readonly manifestDigest?: string;
  readonly manifestAnnotations: Readonly<Record<string, string>>;
  readonly indexAnnotations: Readonly<Record<string, string>>;
  readonly config: ImageConfig;
  readonly layers: readonly Layer[];
  readonly history: readonly HistoryItem[];
  /** Every entry of every layer after stacking: per-path history, what the final filesystem shows. */
  readonly files: ImageFiles;
  /** Things worth telling the user that are not errors (single-platform index used, ignored whiteouts…). */
  readonly notes: readonly string[];
}
