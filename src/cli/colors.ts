/**
 * Whether output to a stream is coloured: FORCE_COLOR forces it (any value but 0 or false, as Node and chalk read
 * it), NO_COLOR turns it off when it is set to a non-empty value (no-color.org), else only on a terminal.
 */
export function useColor(out: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return out.isTTY === true;
}
