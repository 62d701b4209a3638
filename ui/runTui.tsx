import React from 'react';
import { render } from 'ink';
import { Browser, type BrowserInput } from './model/browser.js';
import type { KeyBindings } from './model/keys.js';
import { App } from './components/App.js';

/** Open the layer browser and resolve when the user quits. `stdin` is the terminal to read keys from. */
export async function runTui(input: BrowserInput, keys: KeyBindings, stdin: NodeJS.ReadStream): Promise<void> {
  const browser = new Browser(input, keys);
  const app = render(<App browser={browser} />, { stdin, exitOnCtrlC: false });
  await app.waitUntilExit();
}
