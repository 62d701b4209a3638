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
  /** Long lines wrap onto the rows below (the rows past the pane's bottom are cut, as in dive) instead of being cut. */
  readonly wrap?: boolean;
  readonly width: number;
  readonly height: number;
  readonly title: string;
}

/** The pane's rows that are not file rows: its border, title and header. */
const TREE_CHROME = 4;

/** A line cut into pieces of `width` columns, as a terminal wraps it (at the column, not at a word). */
function wrapped(line: string, width: number): string[] {
  const chars = [...line];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += Math.max(1, width)) out.push(chars.slice(i, i + Math.max(1, width)).join(''));
  return out.length > 0 ? out : [''];
}

/** Only the rows in view are rendered: the view model hands over exactly one window. */
export function FileTreePane({ rows, cursorIndex, focused, showAttributes, guideLines, wrap = false, width, height, title }: Props) {
  const w = width - 2;
  const paint = usePaint();
  const border = useFocusBorder()(focused);
  let used = 0;
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
        // wrapped, a row takes as many lines as it needs, and the rows that no longer fit are left out
        const parts = wrap ? wrapped(line, w).slice(0, Math.max(0, height - TREE_CHROME - used)) : [truncate(line, w)];
        used += parts.length;
        return parts.map((part, j) => (
          <Text key={`${r.node.id}:${j}`} color={paint(MARK_COLOR[r.mark])} inverse={focused && i === cursorIndex} wrap="truncate">
            {part}
          </Text>
        ));
      })}
    </Box>
  );
}
