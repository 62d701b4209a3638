/**
 * The image model: what every consumer (metrics, rules, gate, reporters, TUI) reads.
 * It holds file metadata, never file bytes; memory grows with the number of entries.
 */
import type { ImageFiles } from './imageFiles.js';
import type { LayerEntries } from './layerEntries.js';

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
  /** This layer's entries as columns; `files.entry(row, index)` makes one of them an object. */
  readonly files: LayerEntries;
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
  readonly volumes: readonly string[];
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
