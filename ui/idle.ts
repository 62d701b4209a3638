import type { Browser } from './model/browser.js';

/**
 * Run the browser's idle work (`Browser.precompute`) a step at a time, each in a macrotask of its own: the terminal's
 * input is read between two steps, so a key waits for one step at most, and the layers are ready before the keys
 * that select them. Returns what stops it.
 */
export function idleWork(browser: Pick<Browser, 'precompute'>): () => void {
  let next: NodeJS.Immediate | undefined = setImmediate(function step() {
    next = browser.precompute() ? setImmediate(step) : undefined;
  });
  return () => {
    if (next) clearImmediate(next);
    next = undefined;
  };
}
