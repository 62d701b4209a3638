import prettyBytes from 'pretty-bytes';
import type { FileChange } from '../compareFiles.js';
import type { ConfigChange } from '../compareConfig.js';
import type { DiffFinding } from '../compareFindings.js';
import type { ImageDiff } from '../imageDiff.js';

/** What every diff report says the same way: signed sizes, change letters, one-line descriptions. */

export const signedBytes = (n: number) => (n === 0 ? '±0 B' : prettyBytes(n, { signed: true }));
export const bytes = (n: number) => prettyBytes(n);

export function signedPercent(delta: number, base: number): string {
  if (base === 0) return delta === 0 ? '±0 %' : 'new';
  const p = (delta / base) * 100;
  return `${p > 0 ? '+' : p < 0 ? '−' : '±'}${Math.abs(p).toFixed(2)} %`;
}

/** A, R, M, V (moved): the browser's and the reports' letter for a change. */
export const CHANGE_LETTER: Record<FileChange['change'], string> = { added: 'A', removed: 'R', changed: 'M', moved: 'V' };

export function describeChange(c: FileChange): string {
  if (c.change === 'moved') return `moved from ${c.from}`;
  const dir = (c.base?.type === 'dir' && c.change === 'removed') || (c.head?.type === 'dir' && c.change === 'added');
  if (dir) return `${c.change} directory (${c.change === 'added' ? c.filesHead : c.filesBase} file(s))`;
  if (c.change !== 'changed') return c.change;
  return c.kinds.map((k) => kindDetail(k, c)).join(', ');
}

const octal = (m: number | undefined) => (m === undefined ? '?' : m.toString(8).padStart(4, '0'));

function kindDetail(kind: FileChange['kinds'][number], c: FileChange): string {
  switch (kind) {
    case 'type':
      return `${c.base?.type} → ${c.head?.type}`;
    case 'symlink':
      return `-> ${c.base?.link} → -> ${c.head?.link}`;
    case 'mode':
      return `mode ${octal(c.base?.mode)} → ${octal(c.head?.mode)}`;
    case 'owner':
      return `owner ${c.base?.uid}:${c.base?.gid} → ${c.head?.uid}:${c.head?.gid}`;
    case 'modified':
      return c.sizeBase === c.sizeHead ? 'content (same size)' : 'content';
  }
}

/** The paths a reviewer reads first: the largest size changes, then by path. */
export function biggestFirst(files: readonly FileChange[]): FileChange[] {
  return [...files].sort((a, b) => Math.abs(b.sizeHead - b.sizeBase) - Math.abs(a.sizeHead - a.sizeBase) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export const subjectOf = (f: DiffFinding) => f.path ?? f.configField ?? '';

const value = (v: ConfigChange['base']) => (v === undefined ? '' : v === null ? 'unset' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v));

export function describeConfig(c: ConfigChange): string {
  if (c.change === 'added') return `${c.field} added: ${value(c.head)}`;
  if (c.change === 'removed') return `${c.field} removed (was ${value(c.base)})`;
  return `${c.field}: ${value(c.base)} → ${value(c.head)}`;
}

export interface ChangeCounts {
  added: number;
  removed: number;
  changed: number;
  moved: number;
}

export function changeCounts(diff: ImageDiff): ChangeCounts {
  const n: ChangeCounts = { added: 0, removed: 0, changed: 0, moved: 0 };
  for (const f of diff.files) n[f.change]++;
  return n;
}

/** The one-line answer: size, pull, layers, start, new findings. */
export function headline(diff: ImageDiff): string {
  const s = diff.sizeBytes;
  const parts = [
    `size ${signedBytes(s.delta)} (${signedPercent(s.delta, s.base)})`,
    `pull ${bytes(diff.pullBytes)} in ${diff.layers.pullLayers} layer(s)`,
    `layers ${diff.layers.shared} shared, ${diff.layers.baseOnly.length} gone, ${diff.layers.headOnly.length} new`,
  ];
  if (diff.start.regression) parts.unshift('HEAD NO LONGER STARTS');
  parts.push(`${diff.findings.new.length} new finding(s), ${diff.findings.fixed.length} fixed`);
  return parts.join(' · ');
}
