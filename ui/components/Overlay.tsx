import React from 'react';
import { Box, Text } from 'ink';
import { ACTION_HELP, type Action, type KeyBindings } from '../model/keys.js';
import { truncate } from './format.js';

interface Props {
  readonly kind: 'help' | 'waste' | 'findings';
  readonly items: ReadonlyArray<{ text: string }>;
  readonly cursor: number;
  readonly keys: KeyBindings;
  readonly width: number;
  readonly height: number;
}

const TITLES = { help: 'Keys', waste: 'Wasted bytes: who wrote them, who hid them (Enter: show the file)', findings: 'Rule findings (Enter: show the file)' };

export function Overlay({ kind, items, cursor, keys, width, height }: Props) {
  const w = width - 4;
  const rows = Math.max(1, height - 4);
  const lines =
    kind === 'help'
      ? (Object.keys(ACTION_HELP) as Action[]).map((a) => ({ text: `${keys[a].join(', ').padEnd(18)} ${ACTION_HELP[a]}` }))
      : items;
  const top = Math.max(0, Math.min(cursor - Math.floor(rows / 2), lines.length - rows));
  return (
    <Box flexDirection="column" borderStyle="double" borderColor="cyan" width={width} height={height} paddingX={1}>
      <Text bold>{TITLES[kind]}</Text>
      {lines.length === 0 ? <Text dimColor>nothing to show</Text> : null}
      {lines.slice(top, top + rows).map((l, i) => (
        <Text key={top + i} inverse={kind !== 'help' && top + i === cursor} wrap="truncate">
          {truncate(l.text, w)}
        </Text>
      ))}
      <Text dimColor>esc closes</Text>
    </Box>
  );
}
