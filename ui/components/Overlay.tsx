import React from 'react';
import { Box, Text } from 'ink';
import { usePaint } from './colors.js';
import type { OverlayItem } from '../model/overlayItems.js';
import { truncate } from './format.js';

interface Props {
  readonly kind: 'help' | 'waste' | 'findings' | 'history';
  /** The history's path. */
  readonly path?: string;
  readonly items: readonly OverlayItem[];
  readonly cursor: number;
  readonly width: number;
  readonly height: number;
}

const TITLES = {
  help: () => 'Keys',
  waste: () => 'Wasted bytes: who wrote them, who hid them (Enter: show the file)',
  findings: () => 'Rule findings (Enter: show the file)',
  history: (path: string) => `History of ${path}: every layer that touched it (Enter: that layer)`,
};

/** A list over the whole screen. Help scrolls (its cursor is the first line shown); the others have a cursor. */
export function Overlay({ kind, items, cursor, width, height, path = '' }: Props) {
  const w = width - 4;
  const rows = Math.max(1, height - 4);
  const scrolls = kind === 'help';
  const top = scrolls ? Math.max(0, Math.min(cursor, items.length - rows)) : Math.max(0, Math.min(cursor - Math.floor(rows / 2), items.length - rows));
  const more = items.length > rows ? ` (${top + 1}–${Math.min(items.length, top + rows)} of ${items.length}; ↑↓ PgUp PgDn scroll)` : '';
  const paint = usePaint();
  return (
    <Box flexDirection="column" borderStyle="double" borderColor={paint('cyan')} width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate">
        {truncate(TITLES[kind](path) + more, w)}
      </Text>
      {items.length === 0 ? <Text dimColor>nothing to show</Text> : null}
      {items.slice(top, top + rows).map((l, i) => (
        <Text key={top + i} inverse={!scrolls && top + i === cursor} wrap="truncate">
          {truncate(l.text, w)}
        </Text>
      ))}
      <Text dimColor>esc closes</Text>
    </Box>
  );
}
