import React from 'react';
import { Box, Text } from 'ink';
import { useFocusBorder, usePaint } from './colors.js';
import type { Row } from '../model/treeView.js';
import { bytes, MARK_COLOR, MARK_LETTER, modeString, treePrefix, truncate } from './format.js';

interface Props {
  readonly rows: readonly Row[];
  readonly cursorIndex: number;
  readonly focused: boolean;
  readonly showAttributes: boolean;
  readonly guideLines: boolean;
  readonly width: number;
  readonly height: number;
  readonly title: string;
}

/** Only the rows in view are rendered: the view model hands over exactly one window. */
export function FileTreePane({ rows, cursorIndex, focused, showAttributes, guideLines, width, height, title }: Props) {
  const w = width - 2;
  const paint = usePaint();
  const border = useFocusBorder()(focused);
  return (
    <Box flexDirection="column" {...border} width={width} height={height}>
      <Text bold wrap="truncate">
        {truncate(title, w)}
      </Text>
      <Text dimColor wrap="truncate">
        {truncate(`${showAttributes ? 'Permission  UID:GID     ' : ''}     Size  Filetree`, w)}
      </Text>
      {rows.map((r, i) => {
        const e = r.entry;
        const attrs = showAttributes ? `${modeString(e)}  ${`${e?.uid ?? 0}:${e?.gid ?? 0}`.padEnd(10)}  ` : '';
        const name = r.node.name + (e?.kind === 'dir' || r.hasChildren ? '/' : '') + (e?.kind === 'symlink' ? ` → ${e.link}` : e?.kind === 'hardlink' ? ` ⇒ ${e.link}` : '');
        const kinds = r.kinds.length > 0 ? `  [${r.kinds.join(', ')}]` : '';
        const line = `${MARK_LETTER[r.mark]} ${attrs}${bytes(r.size).padStart(9)}  ${treePrefix(r, guideLines)}${name}${kinds}`;
        return (
          <Text key={r.node.id} color={paint(MARK_COLOR[r.mark])} inverse={focused && i === cursorIndex} wrap="truncate">
            {truncate(line, w)}
          </Text>
        );
      })}
    </Box>
  );
}
