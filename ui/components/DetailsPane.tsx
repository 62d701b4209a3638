import React, { type ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { Analysis } from '../../src/analysis/analyzeImage.js';
import type { Check } from '../../src/ci/check.js';
import type { Image, Layer } from '../../src/model/imageTypes.js';
import { usePaint } from './colors.js';
import { ANALYSING } from '../model/overlayItems.js';
import { bytes, truncate } from './format.js';

interface Props {
  readonly image: Image;
  readonly layer: Layer;
  /** Absent while the review runs (the first frame comes before it). */
  readonly analysis: Analysis | undefined;
  readonly checks: readonly Check[] | undefined;
  readonly width: number;
  readonly height: number;
}

/** A line of the pane and how much it matters when the pane is short (lower keeps its place first). */
interface Line {
  readonly key: string;
  readonly rank: number;
  readonly node: ReactNode;
}

/** The lines that fit in `room`, the most important first, shown in their own order. */
export function fitLines<T extends { rank: number }>(lines: readonly T[], room: number): T[] {
  if (lines.length <= room) return [...lines];
  const kept = new Set([...lines].sort((a, b) => a.rank - b.rank).slice(0, Math.max(0, room)));
  return lines.filter((l) => kept.has(l));
}

const field = (label: string, pad: number, value: ReactNode, w: number) => (
  <Text wrap="truncate">
    <Text dimColor>{label.padEnd(pad)}</Text>
    {typeof value === 'string' ? truncate(value, w - pad) : value}
  </Text>
);

/**
 * Layer details above, image details below: what dive shows, plus reclaimable bytes and rule findings. On a short
 * terminal the least needed lines go first (media type, dates, digests), never the two titles, and the inefficient
 * files keep a few rows: every line is one row, so nothing is drawn over anything else.
 */
export function DetailsPane({ image, layer, analysis: a, checks, width, height }: Props) {
  const w = width - 2;
  const paint = usePaint();
  const failed = checks?.filter((c) => c.status === 'FAIL').length ?? 0;
  const warned = checks?.filter((c) => c.status === 'WARN').length ?? 0;
  const layerLines: Line[] = [
    { key: 'lt', rank: 0, node: <Text bold wrap="truncate">Layer {layer.index}</Text> },
    { key: 'ld', rank: 20, node: field('Digest', 8, layer.digest, w) },
    { key: 'li', rank: 21, node: field('DiffID', 8, layer.diffId, w) },
    { key: 'ls', rank: 4, node: field('Size', 8, `${bytes(layer.size)} (${bytes(layer.compressedSize)} ${layer.compression === 'none' ? 'stored' : layer.compression})`, w) },
    { key: 'lm', rank: 23, node: field('Media', 8, layer.mediaType, w) },
    { key: 'lc', rank: 22, node: field('Created', 8, layer.created ?? '—', w) },
    { key: 'lx', rank: 2, node: field('Command', 8, layer.command.replace(/\s+/g, ' '), w) },
  ];
  const imageTitle: Line = { key: 'it', rank: 1, node: <Text bold wrap="truncate">Image {truncate(image.tags[0] ?? image.id, w - 6)}</Text> };
  const imageLines: Line[] = a && checks ? reviewLines(a, failed, warned, w, paint) : [{ key: 'ia', rank: 3, node: <Text dimColor wrap="truncate">{truncate(`${ANALYSING} (efficiency, waste, findings)`, w)}</Text> }];
  // the first three inefficient files rank just under the header; the rest fill whatever room is left
  const files: Line[] = (a?.inefficient ?? []).slice(0, Math.max(0, height)).map((f, i) => ({
    key: `f${i}`,
    rank: i < 3 ? 9 : 30 + i,
    node: <Text wrap="truncate">{truncate(`${String(f.count).padStart(5)}  ${bytes(f.cumulativeSize).padStart(11)}  ${f.path}`, w)}</Text>,
  }));
  const shown = fitLines([...layerLines, imageTitle, ...imageLines, ...files], height - 2);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={paint('gray')} width={width} height={height}>
      {shown.map((l) => (
        <Box key={l.key} height={1} flexShrink={0}>
          {l.node}
        </Box>
      ))}
    </Box>
  );
}

/** The image details the review gives: dive's figures, fathom's reclaimable bytes, the findings. */
function reviewLines(a: Analysis, failed: number, warned: number, w: number, paint: ReturnType<typeof usePaint>): Line[] {
  return [
    { key: 'is', rank: 10, node: field('Size', 12, bytes(a.sizeBytes), w) },
    { key: 'ie', rank: 3, node: field('Efficiency', 12, `${(a.efficiency * 100).toFixed(4)} %`, w) },
    { key: 'iw', rank: 5, node: field('Wasted', 12, <>{bytes(a.wastedBytes)} <Text dimColor>(dive) · user</Text> {(a.userWastedPercent * 100).toFixed(2)} %</>, w) },
    {
      key: 'ir',
      rank: 6,
      node: field('Reclaimable', 12, <><Text color={paint(a.reclaimableBytes > 0 ? 'yellow' : undefined)}>{bytes(a.reclaimableBytes)}</Text><Text dimColor> (w: why)</Text></>, w),
    },
    {
      key: 'if',
      rank: 7,
      node: field('Findings', 12, <><Text color={paint(failed > 0 ? 'red' : undefined)}>{failed} failed</Text>, <Text color={paint(warned > 0 ? 'yellow' : undefined)}>{warned} warnings</Text><Text dimColor> (f: list)</Text></>, w),
    },
    { key: 'ih', rank: 8, node: <Text dimColor wrap="truncate">{truncate('Count  Total Space  Path (inefficient files)', w)}</Text> },
  ];
}
