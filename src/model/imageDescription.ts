import type { Compression, HistoryItem, ImageConfig } from './imageTypes.js';
import type { LayerEntries } from './layerEntries.js';
import type { PathTable } from './pathTable.js';

/** What one layer blob holds, as the layer reader read it in one streaming pass. */
export interface LayerBlob {
  /** sha256 of the blob as stored. */
  readonly digest: string;
  /** sha256 of the uncompressed tar. */
  readonly diffId: string;
  readonly compression: Compression;
  readonly compressedSize: number;
  /** Σ of every tar header's size, as dive counts a layer. */
  readonly size: number;
  readonly files: LayerEntries;
}

/** What a manifest promises about one layer's blob; assembly checks the blob against it. */
export interface LayerDescriptor {
  readonly mediaType: string;
  readonly digest: string;
  /** Bytes, or -1 when the manifest does not say. */
  readonly size: number;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One layer of the image, in the manifest's order. */
export interface DescribedLayer {
  /** Where its blob was found (its path in an archive): what messages and `Layer.archivePath` name. */
  readonly location: string;
  /** The key of its blob in `ImageDescription.blobs`. */
  readonly blob: string;
  /** Absent where the layout lists layers by path only (docker save's manifest.json). */
  readonly descriptor?: LayerDescriptor;
}

/** One entry of the config's history, before assembly numbers the layers. */
export type HistoryEntry = Omit<HistoryItem, 'layerIndex'>;

/**
 * An image as its source found it, before assembly: plain data that does not say where it came from, so every source
 * (an archive in one pass over its tar; a registry from a manifest and blobs fetched one by one) hands the same shape
 * to buildImage, which checks the blobs against it and stacks the layers.
 */
export interface ImageDescription {
  /** What the user asked for (a path, `-`, a reference): messages start with it. */
  readonly source: string;
  readonly layout: string;
  readonly tags: readonly string[];
  /** sha256 of the config blob: the image id. */
  readonly configDigest: string;
  readonly config: ImageConfig;
  readonly history: readonly HistoryEntry[];
  readonly manifestDigest?: string;
  readonly manifestAnnotations: Readonly<Record<string, string>>;
  readonly indexAnnotations: Readonly<Record<string, string>>;
  readonly layers: readonly DescribedLayer[];
  /** The layer blobs read, keyed by digest; one blob can serve several layers. */
  readonly blobs: ReadonlyMap<string, LayerBlob>;
  /** The table every blob's paths were interned in. */
  readonly paths: PathTable;
  /** What the source noticed that is worth telling (a platform chosen for the user…). */
  readonly notes: readonly string[];
}
