import React from 'react';
import { Box, Text } from 'ink';
import { usePaint } from './colors.js';
import type { BrowserState } from '../model/browserState.js';
import { keyHints } from '../model/keyHints.js';
import type { KeyBindings } from '../model/keys.js';

/** The sort order, the filter line or a message, and hints for the keys as they are bound. */
export function StatusBar({ state, keys, width }: { state: BrowserState; keys: KeyBindings; width: number }) {
  const hidden = [...state.hide].join(', ');
  const paint = usePaint();
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        {state.filterEditing || state.filter ? (
          <Text>
            <Text color={paint('cyan')}>Filter (regex): </Text>
            {state.filter}
            {state.filterEditing ? <Text inverse> </Text> : null}
            {state.filterError ? <Text color={paint('red')}>  {state.filterError}</Text> : null}
          </Text>
        ) : state.message ? (
          <Text color={paint('yellow')}>{state.message}</Text>
        ) : (
          <Text dimColor>sorted by {state.sort}{hidden ? ` · hiding ${hidden}` : ''} · {state.focus === 'layers' ? 'layers' : 'files'} pane</Text>
        )}
      </Text>
      <Text dimColor wrap="truncate">
        {keyHints(keys)}
      </Text>
    </Box>
  );
}
