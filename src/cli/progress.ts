import prettyBytes from 'pretty-bytes';

/**
 * Progress on stderr while a long archive loads — only when stderr is a terminal, so logs stay clean.
 * Redraws at most ten times a second.
 */
export function createProgress(stream: NodeJS.WriteStream, total: number | undefined) {
  if (!stream.isTTY) return { update: undefined, done: () => {} };
  let last = 0;
  let shown = false;
  return {
    update: (e: { bytes: number; entry: string; total?: number }) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      const all = e.total ?? total;
      const of = all ? ` of ${prettyBytes(all)} (${Math.floor((e.bytes / all) * 100)}%)` : '';
      const entry = e.entry.length > 50 ? '…' + e.entry.slice(-49) : e.entry;
      // never wider than the terminal: a line that wraps leaves its first row behind when it is cleared
      const line = `reading ${prettyBytes(e.bytes)}${of}  ${entry}`;
      stream.write(`\r\x1b[2K${line.slice(0, Math.max(1, (stream.columns || 80) - 1))}`);
    },
    done: () => {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
