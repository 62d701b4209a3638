import React from 'react';
import { Box, Text } from 'ink';
import { useFocusBorder, usePaint } from './colors.js';
import type { Layer } from '../../src/model/imageTypes.js';
import { bytes, truncate } from './format.js';

interface Props {
  readonly layers: readonly Layer[];
  readonly selected: number;
  readonly baseLayers: number;
  readonly focused: boolean;
  readonly width: number;
  readonly height: number;
  readonly compare: 'layer' | 'aggregated' | 'base';
}

/** The layers with their size and command; base-image layers are marked B. */
export function LayersPane({ layers, selected, baseLayers, focused, width, height, compare }: Props) {
  const rows = Math.max(1, height - 3);
  const top = Math.max(0, Math.min(selected - Math.floor(rows / 2), layers.length - rows));
  const shown = layers.slice(top, top + rows);
  const paint = usePaint();
  const border = useFocusBorder()(focused);
  return (
    <Box flexDirection="column" {...border} width={width} height={height}>
      <Text bold wrap="truncate">
        Layers <Text dimColor>({compare === 'layer' ? 'layer changes' : compare === 'base' ? 'changes against BASE' : 'all changes since layer 0'})</Text>
      </Text>
      {shown.map((l) => {
        const sel = l.index === selected;
        const line = `${l.index < baseLayers ? 'B' : ' '}${String(l.index).padStart(3)} ${bytes(l.size).padStart(9)}  ${l.command.replace(/\s+/g, ' ')}`;
        return (
          <Text key={l.index} inverse={sel} color={paint(sel && focused ? 'cyan' : undefined)} wrap="truncate">
            {truncate(line, width - 2)}
          </Text>
        );
      })}
    </Box>
  );
}
