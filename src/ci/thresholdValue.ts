import { ConfigError } from '../errors.js';

/** A threshold as configured: a number, or disabled. */
export type Threshold = { readonly enabled: false } | { readonly enabled: true; readonly value: number; readonly raw: string };

const DISABLED = new Set(['disabled', 'off', 'false', '']);

function isDisabled(v: unknown): boolean {
  return v === null || v === false || (typeof v === 'string' && DISABLED.has(v.trim().toLowerCase()));
}

/** A ratio such as lowestEfficiency: a plain number (Go's ParseFloat accepts what Number() accepts here). */
export function parseRatio(key: string, v: unknown): Threshold {
  if (isDisabled(v)) return { enabled: false };
  const raw = String(v).trim();
  const n = typeof v === 'number' ? v : raw === '' ? NaN : Number(raw);
  if (!Number.isFinite(n)) throw new ConfigError(`rules.${key}: cannot read ${JSON.stringify(v)} as a number (e.g. 0.9), or disabled`);
  return { enabled: true, value: n, raw };
}

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1e3, kb: 1e3, ki: 1024, kib: 1024,
  m: 1e6, mb: 1e6, mi: 1024 ** 2, mib: 1024 ** 2,
  g: 1e9, gb: 1e9, gi: 1024 ** 3, gib: 1024 ** 3,
  t: 1e12, tb: 1e12, ti: 1024 ** 4, tib: 1024 ** 4,
  p: 1e15, pb: 1e15, pi: 1024 ** 5, pib: 1024 ** 5,
  e: 1e18, eb: 1e18, ei: 1024 ** 6, eib: 1024 ** 6,
};

/**
 * A size as dive reads it (go-humanize's ParseBytes): digits with `.` and `,`, then a unit, case-insensitive —
 * so `20MB` and `20Mb` are 20,000,000 and `20MiB` is 20,971,520.
 */
export function parseSize(key: string, v: unknown): Threshold {
  if (isDisabled(v)) return { enabled: false };
  const raw = String(v).trim();
  const m = /^([0-9.,]*)(.*)$/.exec(raw)!;
  const num = Number(m[1]!.replace(/,/g, ''));
  const unit = SIZE_UNITS[m[2]!.trim().toLowerCase()];
  if (m[1] === '' || !Number.isFinite(num) || unit === undefined) {
    throw new ConfigError(`rules.${key}: cannot read ${JSON.stringify(v)} as a size (e.g. 20MB, 20MiB, 5000000), or disabled`);
  }
  return { enabled: true, value: Math.floor(num * unit), raw };
}
