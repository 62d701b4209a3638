import type { BrowserInput, ImageReview } from '../../ui/model/browserState.js';
import { bytesAsKeys, matches } from '../../ui/model/keys.js';
import type { LoadProgress, ProgressFor } from '../review/loadForReview.js';
import { loadBrowserSettings, type SettingsRequest } from './browserSettings.js';
import { keyboard } from './terminal.js';

type RunTui = typeof import('../../ui/runTui.js').runTui;

const CLEAR_LINE = '\r\u001b[2K';
const CTRL_C = '\u0003';

export interface BrowserLaunch {
  /** The load's progress as `inner` draws it, then a status line through the analysis, until the first frame. */
  progressFor(inner: ProgressFor): ProgressFor;
  /**
   * The browser on the terminal, with the settings read before the load, until the user quits. `review`, when the
   * input has none: run after the first frame (the browser shows it when it is done).
   */
  open(input: BrowserInput, review?: () => ImageReview): Promise<void>;
}

/**
 * Everything the browser needs from the process, taken before the (possibly long) load rather than after it: its
 * settings (dive's config file, a fathom config: a bad one stops the run before the image is read), the keyboard, in raw mode from the start so q and ctrl+c quit while the image loads (and leave no progress line
 * behind); the browser's modules (React, Ink, the view model), loading while the archive is read; and a status line
 * on stderr from the end of the read to the first frame, so the screen is never blank. Undefined when there is no
 * terminal to read keys from (the text report is printed instead).
 */
export async function prepareBrowser(archiveOnStdin: boolean, settingsFrom: SettingsRequest): Promise<BrowserLaunch | undefined> {
  const tty = keyboard(archiveOnStdin);
  if (!tty) return undefined;
  const settings = await loadBrowserSettings(settingsFrom);
  const status = (line: string) => {
    if (process.stderr.isTTY) process.stderr.write(CLEAR_LINE + line);
  };
  // read the way Ink reads (on 'readable'), so the stream is in the mode Ink expects when it takes over
  const onKey = () => {
    let text = '';
    for (let chunk: unknown; (chunk = tty.read()) !== null; ) text += String(chunk);
    // ctrl+c always (the terminal is raw only so that it can be read here); otherwise the keys quit is bound to
    const quit = text.includes(CTRL_C) || bytesAsKeys(text).some((k) => matches(settings.keys, 'quit', k));
    if (!quit) return;
    status('');
    tty.setRawMode?.(false);
    // ctrl+c: what the shell reports for SIGINT; q (or what quit is bound to): the user's quit, as from the browser
    process.exit(text.includes(CTRL_C) ? 130 : 0);
  };
  tty.setRawMode?.(true);
  tty.on('readable', onKey);
  const ui = import('../../ui/runTui.js').then((m): RunTui => m.runTui);
  // a failure to load is reported when the browser opens
  ui.catch(() => {});
  return {
    progressFor: (inner) => (source) => {
      const p: LoadProgress = inner(source);
      return {
        ...(p.update ? { update: p.update } : {}),
        done: () => {
          p.done();
          // ends with a carriage return: if the load failed, the error line that follows overwrites it from column 0
          status('analysing…\r');
        },
      };
    },
    open: async (input, review) => {
      status('opening the browser…');
      const runTui = await ui;
      tty.off('readable', onKey);
      status('');
      await runTui(input, settings.keys, tty, { ...settings.options, ...(review ? { review } : {}) });
    },
  };
}
