import { InputError } from '../errors.js';
import type { ImageConfig } from '../model/imageTypes.js';

/** The JSON shapes of image archives, read defensively: anything unexpected is an InputError naming the file. */

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Platform;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface DockerManifestEntry {
  readonly config: string;
  readonly repoTags: readonly string[];
  readonly layers: readonly string[];
}

export interface RawConfig {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
  readonly created?: string;
  readonly config: Record<string, unknown>;
  readonly diffIds: readonly string[];
  readonly history: ReadonlyArray<{ created?: string; createdBy: string; comment?: string; emptyLayer: boolean }>;
}

type Json = unknown;

/**
 * At most this many descriptors are visited below an index: nesting is capped in depth, and this caps the total (an
 * index 10 wide and 7 deep, 28 KB, names 10^7 manifests).
 */
export const MAX_DESCRIPTORS = 10_000;

/** The OCI digest grammar (algorithm:encoded): a digest becomes a path (blobs/ALG/HEX), so nothing else may pass. */
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseJson(text: string, where: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new InputError(`${where}: invalid JSON (${(err as Error).message})`);
  }
}

function str(v: Json): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function strings(v: Json): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function stringRecord(v: Json): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function platform(v: Json): Platform | undefined {
  if (!isObject(v)) return undefined;
  const os = str(v['os']);
  const architecture = str(v['architecture']);
  if (!os || !architecture) return undefined;
  const variant = str(v['variant']);
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function descriptor(v: Json, where: string): Descriptor {
  if (!isObject(v) || typeof v['digest'] !== 'string') throw new InputError(`${where}: a descriptor without a digest`);
  if (!DIGEST.test(v['digest'])) throw new InputError(`${where}: digest ${JSON.stringify(v['digest'].slice(0, 200))} is not ALGORITHM:HEX`);
  const size = v['size'];
  if (size !== undefined && (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)) {
    throw new InputError(`${where}: size ${JSON.stringify(size)} is not a byte count`);
  }
  const p = platform(v['platform']);
  return {
    mediaType: str(v['mediaType']) ?? '',
    digest: v['digest'],
    size: typeof size === 'number' ? size : -1,
    ...(p ? { platform: p } : {}),
    annotations: stringRecord(v['annotations']),
  };
}

export interface Index {
  readonly manifests: readonly Descriptor[];
  readonly annotations: Readonly<Record<string, string>>;
}

export function parseIndex(v: Json, where: string): Index {
  if (!isObject(v) || !Array.isArray(v['manifests'])) throw new InputError(`${where}: not an OCI image index (no manifests[])`);
  return { manifests: v['manifests'].map((d, i) => descriptor(d, `${where} manifests[${i}]`)), annotations: stringRecord(v['annotations']) };
}

export interface Manifest {
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly annotations: Readonly<Record<string, string>>;
}

export function isIndexJson(v: Json): boolean {
  return isObject(v) && Array.isArray(v['manifests']);
}

export function parseManifest(v: Json, where: string): Manifest {
  if (!isObject(v) || !isObject(v['config']) || !Array.isArray(v['layers'])) {
    throw new InputError(`${where}: not an image manifest (needs config and layers[])`);
  }
  return {
    mediaType: str(v['mediaType']) ?? '',
    config: descriptor(v['config'], `${where} config`),
    layers: v['layers'].map((d, i) => descriptor(d, `${where} layers[${i}]`)),
    annotations: stringRecord(v['annotations']),
  };
}

export function parseDockerManifest(v: Json, where: string): DockerManifestEntry[] {
  if (!Array.isArray(v)) throw new InputError(`${where}: expected a JSON array of images`);
  return v.map((e, i) => {
    if (!isObject(e) || typeof e['Config'] !== 'string' || !Array.isArray(e['Layers'])) {
      throw new InputError(`${where}: entry ${i} lacks Config or Layers`);
    }
    return { config: e['Config'], repoTags: strings(e['RepoTags']), layers: strings(e['Layers']) };
  });
}

export function parseConfig(v: Json, where: string): RawConfig {
  if (!isObject(v)) throw new InputError(`${where}: the image config is not a JSON object`);
  const rootfs = v['rootfs'];
  if (!isObject(rootfs) || !Array.isArray(rootfs['diff_ids'])) {
    throw new InputError(`${where}: the image config has no rootfs.diff_ids`);
  }
  const history = Array.isArray(v['history'])
    ? v['history'].filter(isObject).map((h) => ({
        ...(str(h['created']) ? { created: str(h['created'])! } : {}),
        createdBy: str(h['created_by']) ?? '',
        ...(str(h['comment']) ? { comment: str(h['comment'])! } : {}),
        emptyLayer: h['empty_layer'] === true,
      }))
    : [];
  const variant = str(v['variant']);
  const created = str(v['created']);
  return {
    architecture: str(v['architecture']) ?? '',
    os: str(v['os']) ?? '',
    ...(variant ? { variant } : {}),
    ...(created ? { created } : {}),
    config: isObject(v['config']) ? v['config'] : {},
    diffIds: strings(rootfs['diff_ids']),
    history,
  };
}

/** The config as the model holds it: the runtime fields rules read, the platform, and the layers' diff_ids. */
export function imageConfig(c: RawConfig): ImageConfig {
  return {
    ...runtimeConfig(c.config),
    os: c.os,
    architecture: c.architecture,
    ...(c.variant ? { variant: c.variant } : {}),
    ...(c.created ? { created: c.created } : {}),
    diffIds: c.diffIds,
  };
}

/** Pull the runtime fields rules read out of the config's `config` object (null stays null: unset). */
function runtimeConfig(c: Record<string, unknown>) {
  const list = (k: string): string[] | null => (Array.isArray(c[k]) ? strings(c[k]) : null);
  const hc = c['Healthcheck'];
  return {
    user: str(c['User']) ?? '',
    cmd: list('Cmd'),
    entrypoint: list('Entrypoint'),
    env: strings(c['Env']),
    workingDir: str(c['WorkingDir']) ?? '',
    labels: stringRecord(c['Labels']),
    healthcheck: isObject(hc) && Array.isArray(hc['Test']) ? { test: strings(hc['Test']) } : null,
    exposedPorts: isObject(c['ExposedPorts']) ? Object.keys(c['ExposedPorts']) : [],
    volumes: isObject(c['Volumes']) ? Object.keys(c['Volumes']) : [],
  };
}
