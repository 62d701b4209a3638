import React from 'react';
import { render } from 'ink';
import { Browser, type BrowserInput, type BrowserOptions, type ImageReview } from './model/browser.js';
import type { KeyBindings } from './model/keys.js';
import { clipboardSequence } from './clipboard.js';
import { idleWork } from './idle.js';
import { App } from './components/App.js';
import { ColorsContext } from './components/colors.js';

/** xterm's alternate screen (what dive and every full-screen program use), and the cursor shown again on leaving. */
const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l\u001b[?25h';

export interface TuiOptions extends BrowserOptions {
  /** Colour, unless NO_COLOR is set (https://no-color.org). */
  readonly colors?: boolean;
  /** The terminal to draw on. */
  readonly stdout?: NodeJS.WriteStream;
  /** Whether the terminal is a tmux pane (TMUX is set), for the clipboard's sequence. */
  readonly inTmux?: boolean;
  /** The review, when `input` has none yet: run after the first frame, which then needs the image alone. */
  readonly review?: () => ImageReview;
}

/**
 * Open the layer browser and resolve when the user quits. `stdin` is the terminal to read keys from. The browser
 * draws on the alternate screen, so the shell's screen comes back as it was, the cursor visible and the prompt on
 * its own line, however the browser ends (q, an error, a signal).
 */
export async function runTui(input: BrowserInput, keys: KeyBindings, stdin: NodeJS.ReadStream, options: TuiOptions = {}): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const colors = options.colors ?? process.env['NO_COLOR'] === undefined;
  const browser = new Browser(input, keys, options);
  const inTmux = options.inTmux ?? process.env['TMUX'] !== undefined;
  // OSC 52 draws nothing and moves no cursor: written between Ink's frames, it leaves the frame as it is
  const onCopy = (text: string) => void stdout.write(clipboardSequence(text, inTmux));
  let onAlternate = true;
  const leave = () => {
    if (!onAlternate) return;
    onAlternate = false;
    stdout.write(LEAVE_ALTERNATE_SCREEN);
  };
  process.once('exit', leave);
  stdout.write(ENTER_ALTERNATE_SCREEN);
  try {
    const app = render(
      <ColorsContext.Provider value={colors}>
        <App browser={browser} onCopy={onCopy} idle={idleWork} {...(options.review ? { review: options.review } : {})} />
      </ColorsContext.Provider>,
      { stdin, stdout, exitOnCtrlC: false, patchConsole: false },
    );
    await app.waitUntilExit();
  } finally {
    leave();
    process.off('exit', leave);
  }
}
