import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../ui/components/App.js';
import type { Browser } from '../../ui/model/browser.js';

/** Ink handles input on the next macrotask: wait one after render and after each write. */
export const tick = () => new Promise((r) => setTimeout(r, 20));

/** Wait until `done()` holds (work React schedules on its own, such as effects, may take several ticks), at most `ms`. */
export async function until(done: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await tick();
}

/** Terminal bytes for the keys the tests send, as a terminal writes them. */
export const KEY = { tab: '\t', enter: '\r', escape: '\u001b', left: '\u001b[D', right: '\u001b[C', pageDown: '\u001b[6~', ctrlB: '\u0002', ctrlF: '\u0006', ctrlO: '\u000f', ctrlU: '\u0015' } as const;

/**
 * The browser in Ink's test renderer: keys go in as bytes on stdin, so they pass through Ink's own input parsing and
 * the App's key splitting exactly as a terminal's would.
 */
export async function renderBrowser(browser: Browser, onCopy?: (text: string) => void) {
  const r = render(<App browser={browser} {...(onCopy ? { onCopy } : {})} />);
  // the App's effects (the input subscription, the size reaching the state) run after the first frame; on a loaded
  // machine one tick is not always enough, and a key written before them would be lost
  const before = browser.state.treeHeight;
  await until(() => browser.state.treeHeight !== before, 1000);
  // Ink draws at most 30 frames a second (a frame due sooner waits for the next slot): after a key, wait until the
  // frame has been the same for longer than one slot, so the frame read is the one for the key
  const settle = async () => {
    await tick();
    for (let i = 0; i < 50; i++) {
      const f = r.lastFrame();
      await new Promise((done) => setTimeout(done, 40));
      if (r.lastFrame() === f) return;
    }
  };
  const press = async (bytes: string) => {
    r.stdin.write(bytes);
    await settle();
  };
  /** Each character as its own read, the way a person types. */
  const type = async (text: string) => {
    for (const ch of text) await press(ch);
  };
  /** The terminal now has `rows` rows, announced as a terminal does: a resize event on stdout. */
  const resizeTerminal = (rows: number) => {
    Object.assign(r.stdout, { rows });
    r.stdout.emit('resize');
  };
  return { press, type, resizeTerminal, frame: () => r.lastFrame() ?? '', unmount: () => r.unmount() };
}
