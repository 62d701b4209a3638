import React from 'react';
import { Box, Text } from 'ink';
import { usePaint } from './colors.js';
import type { BrowserState } from '../model/browserState.js';
import { keyHints } from '../model/keyHints.js';
import type { KeyBindings } from '../model/keys.js';

/** A prompt line: its label, what is typed so far, the cursor while typing, then its error or its message. */
function Prompt({ label, text, editing, error, message }: { label: string; text: string; editing: boolean; error: string | undefined; message?: string | undefined }) {
  const paint = usePaint();
  return (
    <Text>
      <Text color={paint('cyan')}>{label}: </Text>
      {text}
      {editing ? <Text inverse> </Text> : null}
      {error ? <Text color={paint('red')}>  {error}</Text> : message ? <Text color={paint('yellow')}>  {message}</Text> : null}
    </Text>
  );
}

/** The sort order, a prompt (search, filter) or a message, and hints for the keys as they are bound. */
export function StatusBar({ state, keys, width }: { state: BrowserState; keys: KeyBindings; width: number }) {
  const hidden = [...state.hide].join(', ');
  const paint = usePaint();
  // a message (a search's count, w's answer) shows over a filter that is set but not being typed
  const filterLine = state.filterEditing || (state.filter !== '' && !state.message);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        {state.searchEditing ? (
          <Prompt label="Search (regex)" text={state.search} editing error={state.searchError} message={state.search === '' ? undefined : state.message} />
        ) : filterLine ? (
          <Prompt label="Filter (regex)" text={state.filter} editing={state.filterEditing} error={state.filterError} />
        ) : state.message ? (
          <Text color={paint('yellow')}>{state.message}{state.filter ? <Text dimColor> · filter {state.filter}</Text> : null}</Text>
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
