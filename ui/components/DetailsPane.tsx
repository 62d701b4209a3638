import React from 'react';
import { Box, Text } from 'ink';
import type { Analysis } from '../../src/analysis/analyzeImage.js';
import type { Check } from '../../src/ci/check.js';
import type { Image, Layer } from '../../src/model/imageTypes.js';
import { bytes, truncate } from './format.js';

interface Props {
  readonly image: Image;
  readonly layer: Layer;
  readonly analysis: Analysis;
  readonly checks: readonly Check[];
  readonly width: number;
  readonly height: number;
}

/** Layer details above, image details below: what dive shows, plus reclaimable bytes and rule findings. */
export function DetailsPane({ image, layer, analysis: a, checks, width, height }: Props) {
  const w = width - 2;
  const failed = checks.filter((c) => c.status === 'FAIL').length;
  const warned = checks.filter((c) => c.status === 'WARN').length;
  const lines: Array<[string, string]> = [
    ['Digest', layer.digest],
    ['DiffID', layer.diffId],
    ['Size', `${bytes(layer.size)} (${bytes(layer.compressedSize)} ${layer.compression === 'none' ? 'stored' : layer.compression})`],
    ['Media', layer.mediaType],
    ['Created', layer.created ?? '—'],
    ['Command', layer.command.replace(/\s+/g, ' ')],
  ];
  const room = Math.max(0, height - 14 - lines.length);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="gray" width={width} height={height}>
      <Text bold>Layer {layer.index}</Text>
      {lines.map(([k, v]) => (
        <Text key={k} wrap="truncate">
          <Text dimColor>{k.padEnd(8)}</Text>
          {truncate(v, w - 8)}
        </Text>
      ))}
      <Text bold>Image {truncate(image.tags[0] ?? image.id, w - 6)}</Text>
      <Text wrap="truncate">
        <Text dimColor>{'Size'.padEnd(12)}</Text>
        {bytes(a.sizeBytes)}
      </Text>
      <Text wrap="truncate">
        <Text dimColor>{'Efficiency'.padEnd(12)}</Text>
        {(a.efficiency * 100).toFixed(4)} %
      </Text>
      <Text wrap="truncate">
        <Text dimColor>{'Wasted'.padEnd(12)}</Text>
        {bytes(a.wastedBytes)} <Text dimColor>(dive) · user</Text> {(a.userWastedPercent * 100).toFixed(2)} %
      </Text>
      <Text wrap="truncate">
        <Text dimColor>{'Reclaimable'.padEnd(12)}</Text>
        <Text color={a.reclaimableBytes > 0 ? 'yellow' : undefined}>{bytes(a.reclaimableBytes)}</Text>
        <Text dimColor> (w: why)</Text>
      </Text>
      <Text wrap="truncate">
        <Text dimColor>{'Findings'.padEnd(12)}</Text>
        <Text color={failed > 0 ? 'red' : undefined}>{failed} failed</Text>, <Text color={warned > 0 ? 'yellow' : undefined}>{warned} warnings</Text>
        <Text dimColor> (f: list)</Text>
      </Text>
      <Text dimColor>Count  Total Space  Path (inefficient files)</Text>
      {a.inefficient.slice(0, room).map((f) => (
        <Text key={f.path} wrap="truncate">
          {truncate(`${String(f.count).padStart(5)}  ${bytes(f.cumulativeSize).padStart(11)}  ${f.path}`, w)}
        </Text>
      ))}
    </Box>
  );
}
