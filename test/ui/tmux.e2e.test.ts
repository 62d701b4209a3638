import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { CLI } from '../helpers/runCli.js';
import { DIVE_FIXTURE } from '../helpers/shared.js';

/** The built CLI in a real terminal (tmux): keys in with send-keys, the screen out with capture-pane. */
const session = `fathom-e2e-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(re: RegExp, ms = 8000): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    last = screen();
    if (re.test(last)) return last;
    await sleep(100);
  }
  throw new Error(`screen never matched ${re}:\n${last}`);
}

test('tmux: the TUI opens, moves through layers, hides unmodified, w explains waste, q quits with exit 0', async () => {
  try {
    tmux('new-session', '-d', '-s', session, '-x', '150', '-y', '40', `env -u CI ${process.execPath} ${CLI} ${DIVE_FIXTURE}; echo "EXIT=$?"; sleep 60`);
    await waitFor(/Layer 0 \(everything added\)/);
    for (let i = 0; i < 9; i++) tmux('send-keys', '-t', session, 'j');
    await waitFor(/Layer 9 vs layer 8/);
    tmux('send-keys', '-t', session, 'Tab');
    tmux('send-keys', '-t', session, 'C-u');
    const hidden = await waitFor(/hiding unmodified/);
    assert.match(hidden, /R +12\.8 kB {4}example\//);
    tmux('send-keys', '-t', session, 'w');
    await waitFor(/somefile1\.txt: 6405 bytes written by layer 3, overwritten by layer 4/);
    tmux('send-keys', '-t', session, 'q');
    await waitFor(/EXIT=0/);
  } finally {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // already gone
    }
  }
});

test('tmux: with -, the archive comes from stdin and the keys from the terminal (/dev/tty)', async () => {
  const s = `${session}-stdin`;
  try {
    tmux('new-session', '-d', '-s', s, '-x', '150', '-y', '40', `cat ${DIVE_FIXTURE} | env -u CI ${process.execPath} ${CLI} -; echo "EXIT=$?"; sleep 60`);
    const cap = () => tmux('capture-pane', '-p', '-t', s);
    const end = Date.now() + 8000;
    while (!/Layer 0 \(everything added\)/.test(cap()) && Date.now() < end) await sleep(100);
    assert.match(cap(), /dive-test:latest/);
    tmux('send-keys', '-t', s, 'j');
    const end2 = Date.now() + 5000;
    while (!/Layer 1 vs layer 0/.test(cap()) && Date.now() < end2) await sleep(100);
    assert.match(cap(), /Layer 1 vs layer 0/);
    tmux('send-keys', '-t', s, 'q');
    const end3 = Date.now() + 5000;
    while (!/EXIT=0/.test(cap()) && Date.now() < end3) await sleep(100);
    assert.match(cap(), /EXIT=0/);
  } finally {
    try {
      tmux('kill-session', '-t', s);
    } catch {
      // already gone
    }
  }
});
