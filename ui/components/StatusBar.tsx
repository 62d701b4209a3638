import React from 'react';
import { Box, Text } from 'ink';
import type { BrowserState } from '../model/browser.js';

/** Key help, the sort order, the filter line and any message. */
export function StatusBar({ state, width }: { state: BrowserState; width: number }) {
  const hidden = [...state.hide].join(', ');
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        {state.filterEditing || state.filter ? (
          <Text>
            <Text color="cyan">Filter (regex): </Text>
            {state.filter}
            {state.filterEditing ? <Text inverse> </Text> : null}
            {state.filterError ? <Text color="red">  {state.filterError}</Text> : null}
          </Text>
        ) : state.message ? (
          <Text color="yellow">{state.message}</Text>
        ) : (
          <Text dimColor>sorted by {state.sort}{hidden ? ` · hiding ${hidden}` : ''} · {state.focus === 'layers' ? 'layers' : 'files'} pane</Text>
        )}
      </Text>
      <Text dimColor wrap="truncate">
        q quit · tab pane · ? keys · / filter · s size · ^o sort · ^b attrs · w waste · f findings · ^l/^a compare · ^a/^r/^m/^u hide · space fold
      </Text>
    </Box>
  );
}
