import { createContext, useContext } from 'react';

/**
 * Whether the browser may use colour: off under NO_COLOR (https://no-color.org). Ink's colour library does not read
 * NO_COLOR, so the components ask here. Attributes that are not colour (inverse for the cursor, bold, dim) stay.
 */
export const ColorsContext = createContext(true);

/** `paint(c)`: the colour `c` when colour is on, else none. */
export function usePaint(): (color: string | undefined) => string | undefined {
  const on = useContext(ColorsContext);
  return on ? (c) => c : () => undefined;
}

/** A focused pane's border: in colour cyan, without colour a heavier line. */
export function useFocusBorder(): (focused: boolean) => { borderStyle: 'round' | 'bold'; borderColor: string | undefined } {
  const on = useContext(ColorsContext);
  return (focused) => (on ? { borderStyle: 'round', borderColor: focused ? 'cyan' : 'gray' } : { borderStyle: focused ? 'bold' : 'round', borderColor: undefined });
}
