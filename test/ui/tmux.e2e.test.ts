import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../helpers/runCli.js';
import { debianImages } from '../helpers/debianImages.js';
import { DIVE_FIXTURE } from '../helpers/shared.js';

/**
 * The built CLI in a real terminal (tmux): keys in with send-keys — several keys in one send-keys arrive as one
 * write, as a terminal delivers keys that queue up — and the screen out with capture-pane (-e: with its escapes).
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let sessions = 0;

interface Term {
  readonly keys: (...keys: string[]) => void;
  readonly screen: (escapes?: boolean) => string;
  readonly waitFor: (re: RegExp, ms?: number) => Promise<string>;
  /** tmux's own view of the pane: whether it is on the alternate screen, whether the cursor is shown. */
  readonly flags: () => { alternate: boolean; cursorVisible: boolean };
  /** tmux itself, on the session's server. */
  readonly tmux: (...args: string[]) => string;
}

/**
 * `command` in a new tmux session of `columns`×`rows` on a private tmux server (its own socket, no config file), the
 * server gone afterwards however `body` ends. With `serverOptions`, those server options are set before the command
 * runs, so a server-wide setting or paste buffer is this test's alone.
 */
async function inTmux(columns: number, rows: number, command: string, body: (t: Term) => Promise<void>, serverOptions?: ReadonlyArray<readonly [string, string]>): Promise<void> {
  const s = `fathom-e2e-${process.pid}-${sessions++}`;
  // every session on a server of its own: a new session on the shared default server races that server's exit when
  // the previous test's session was its last ("server exited unexpectedly")
  const server = ['-L', s, '-f', '/dev/null'];
  const tmux = (...args: string[]) => execFileSync('tmux', [...server, ...args], { encoding: 'utf8' });
  const screen = (escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', s);
  const t: Term = {
    keys: (...keys) => void tmux('send-keys', '-t', s, ...keys),
    screen,
    waitFor: async (re, ms = 15000) => {
      const end = Date.now() + ms;
      let last = '';
      while (Date.now() < end) {
        last = screen();
        if (re.test(last)) return last;
        await sleep(50);
      }
      throw new Error(`screen never matched ${re}:\n${last}`);
    },
    flags: () => {
      const [alt, cursor] = tmux('display-message', '-p', '-t', s, '#{alternate_on} #{cursor_flag}').trim().split(' ');
      return { alternate: alt === '1', cursorVisible: cursor === '1' };
    },
    tmux,
  };
  try {
    // the command waits for the options: the session must exist (and with it the server) before they can be set
    const ready = `${s}-ready`;
    const wait = serverOptions ? `tmux ${server.join(' ')} wait-for ${ready}; ` : '';
    tmux('new-session', '-d', '-s', s, '-x', String(columns), '-y', String(rows), `${wait}${command}; echo "EXIT=$?"; sleep 60`);
    if (serverOptions) {
      for (const [name, value] of serverOptions) tmux('set-option', '-s', name, value);
      tmux('wait-for', '-S', ready);
    }
    await body(t);
  } finally {
    try {
      // tmux leaves a killed server's socket file behind
      const socket = tmux('display-message', '-p', '#{socket_path}').trim();
      tmux('kill-server');
      rmSync(socket, { force: true });
    } catch {
      // already gone
    }
  }
}

const fathom = (archive: string, env = '') => `env -u CI -u NO_COLOR ${env} ${process.execPath} ${CLI} ${archive}`;

/** The SGR parameters on screen that set a colour (foreground, background, 256/RGB). */
function colourCodes(screen: string): string[] {
  const out: string[] = [];
  for (const m of screen.matchAll(/\u001b\[([0-9;]*)m/g)) {
    for (const p of m[1]!.split(';')) if (/^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p)) out.push(p);
  }
  return out;
}

test('tmux: the TUI opens, moves through layers, hides unmodified, w explains waste, q quits with exit 0', async () => {
  await inTmux(150, 40, fathom(DIVE_FIXTURE), async (t) => {
    await t.waitFor(/Layer 0 \(everything added\)/);
    for (let i = 0; i < 9; i++) t.keys('j');
    await t.waitFor(/Layer 9 vs layer 8/);
    t.keys('Tab');
    t.keys('C-u');
    const hidden = await t.waitFor(/hiding unmodified/);
    assert.match(hidden, /R +12\.8 kB {4}example\//);
    t.keys('w');
    await t.waitFor(/somefile1\.txt: 6405 bytes written by layer 3, overwritten by layer 4/);
    t.keys('q');
    await t.waitFor(/EXIT=0/);
  });
});

test('tmux 80×24: bursts in one send-keys are every key; ctrl+space folds; the details fit; q leaves the screen clean', async () => {
  await inTmux(80, 24, `printf 'BEFORE-FATHOM\\n'; ${fathom(DIVE_FIXTURE)}`, async (t) => {
    await t.waitFor(/Layer 0 \(everything added\)/);
    // the image details come with the review, which runs once the first frame is on screen
    const first = await t.waitFor(/│Count {2}Total Space {2}Path/);
    assert.doesNotMatch(first, /analysing/);
    assert.equal(t.flags().alternate, true, 'the browser draws on the alternate screen');
    // the details pane keeps its titles and the inefficient files on 24 rows
    assert.match(first, /│Layer 0 +│/);
    assert.match(first, /│Image dive-test:latest/);
    assert.match(first, /│Count {2}Total Space {2}Path/);
    assert.match(first, /│ +2 +12\.8 kB {2}\/root\//);
    assert.doesNotMatch(first, /MBest/, 'no line drawn over another');
    t.keys('j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j');
    await t.waitFor(/Layer 9 vs layer 8/);
    t.keys('Tab', 'C-b');
    await t.waitFor(/Permission {2}UID:GID/);
    t.keys('C-f', 's', 'a', 'v', 'e', 'd');
    await t.waitFor(/Filter \(regex\): saved/);
    t.keys('BSpace', 'BSpace', 'BSpace', 'BSpace');
    const erased = await t.waitFor(/Filter \(regex\): s\b/);
    assert.doesNotMatch(erased, / 0 rows/);
    t.keys('Escape');
    await t.waitFor(/sorted by size/);
    t.keys('C-Space');
    await t.waitFor(/⊕ bin\//);
    t.keys('q');
    const after = await t.waitFor(/EXIT=0/);
    const flags = t.flags();
    assert.equal(flags.alternate, false, 'the alternate screen is left');
    assert.equal(flags.cursorVisible, true, 'the cursor is shown again');
    assert.match(after, /^BEFORE-FATHOM\nEXIT=0$/m, 'the shell screen as it was, the next line on a clean line');
    assert.doesNotMatch(after, /[╭╰│]/, 'no frame left behind');
  });
});

/**
 * The text drawn inverse in the file tree pane (its cursor row), from a screen captured with its escapes: the
 * layers pane's selected row is inverse too, so only an inverse run that starts right of the screen's middle-left
 * (where the tree pane begins) counts.
 */
function cursorLine(screen: string): string {
  const width = Math.max(...screen.split('\n').map((l) => [...l.replace(/\u001b\[[0-9;]*m/g, '')].length));
  for (const line of screen.split('\n')) {
    let column = 0;
    let run: { from: number; text: string } | undefined;
    for (const part of line.split(/(\u001b\[[0-9;]*m)/)) {
      const sgr = /^\u001b\[([0-9;]*)m$/.exec(part);
      if (sgr) {
        const params = sgr[1]!.split(';');
        if (params.includes('7')) run ??= { from: column, text: '' };
        else if (run && (params.includes('27') || params.includes('0') || sgr[1] === '')) {
          if (run.from > width * 0.3) return run.text;
          run = undefined;
        }
        continue;
      }
      if (run) run.text += part;
      column += [...part].length;
    }
    if (run && run.from > width * 0.3) return run.text;
  }
  return '';
}

test('tmux: / searches with the whole tree in view, n and N jump between the matches and wrap', async () => {
  await inTmux(120, 40, fathom(DIVE_FIXTURE), async (t) => {
    await t.waitFor(/Layer 0 \(everything added\)/);
    t.keys('j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j');
    await t.waitFor(/Layer 13 vs layer 12/);
    // the four files named *saved* at the last layer (Dockerfile.test-image), typed as a burst
    t.keys('Tab', '/', 's', 'a', 'v', 'e', 'd');
    const typed = await t.waitFor(/Search \(regex\): saved +match 1 of 4/);
    assert.match(typed, /bin\//, 'the tree stays whole');
    assert.match(cursorLine(t.screen(true)), /saved/);
    t.keys('Enter', 'n');
    await t.waitFor(/^match 2 of 4/m);
    assert.match(cursorLine(t.screen(true)), /saved/);
    t.keys('n', 'n', 'n');
    await t.waitFor(/^match 1 of 4/m);
    t.keys('N');
    await t.waitFor(/^match 4 of 4/m);
    assert.match(cursorLine(t.screen(true)), /saved/);
    t.keys('/', 'z', 'z', 'z');
    await t.waitFor(/Search \(regex\): zzz +no match/);
    t.keys('Escape', 'q');
    await t.waitFor(/EXIT=0/);
  });
});

test('tmux: aggregated mode shows what came and went as X, magenta, and as X alone under NO_COLOR', async () => {
  for (const env of ['', 'NO_COLOR=1']) {
    await inTmux(120, 40, fathom(DIVE_FIXTURE, env), async (t) => {
      await t.waitFor(/Layer 0 \(everything added\)/);
      t.keys('j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j');
      await t.waitFor(/Layer 13 vs layer 12/);
      // dive 0.12 shows /root/example and everything below it, in red, at layer 13 with ctrl+a and ctrl+u
      t.keys('C-a', 'Tab', 'C-u');
      const s = await t.waitFor(/Layer 13 vs layer 0 · 16 rows/);
      assert.match(s, /X +19\.2 kB {4}example\//);
      assert.match(s, /X +6\.41 kB {6}somefile3\.txt/);
      const line = t.screen(true).split('\n').find((l) => l.includes('somefile3.txt')) ?? '';
      if (env === '') assert.match(line, /\u001b\[35m/, 'magenta');
      else assert.deepEqual(colourCodes(line), []);
      t.keys('q');
      await t.waitFor(/EXIT=0/);
    });
  }
});

test('tmux: y copies the selected path with OSC 52 — into tmux\'s paste buffer with set-clipboard on, dropped by its default', async () => {
  const copy = async (setting: string): Promise<string | undefined> => {
    let buffer: string | undefined;
    await inTmux(
      120,
      30,
      fathom(DIVE_FIXTURE),
      async (t) => {
        await t.waitFor(/Layer 0 \(everything added\)/);
        // layer 0 sorted by size: busybox's /bin is the first row; then down to its first file
        t.keys('Tab', 'y');
        await t.waitFor(/^copied \/bin \(OSC 52\)/m);
        t.keys('Right', 'j', 'y');
        const s = await t.waitFor(/^copied \/bin\/\S+ \(OSC 52\)/m);
        const path = /^copied (\S+) \(OSC 52\)/m.exec(s)![1]!;
        assert.ok(cursorLine(t.screen(true)).includes(` ${path.slice('/bin/'.length)}`), `${path} is the row under the cursor: ${cursorLine(t.screen(true))}`);
        await sleep(200);
        try {
          buffer = t.tmux('show-buffer');
          assert.equal(buffer, path, 'the last copy');
        } catch {
          buffer = undefined;
        }
        // the sequence draws nothing: no text of it (L2Jpbi is base64 of /bin) and the frame whole
        assert.doesNotMatch(t.screen(), /52;c|L2Jpbi|Ptmux/);
        assert.match(t.screen(), /^╭─+╮╭─+╮$/m);
        t.keys('q');
        await t.waitFor(/EXIT=0/);
      },
      [['set-clipboard', setting]],
    );
    return buffer;
  };
  assert.match((await copy('on')) ?? '', /^\/bin\/./);
  assert.equal(await copy('external'), undefined, 'tmux keeps no buffer from an application by default');
});

test('tmux 50×14: the borders hold, help scrolls to its last line', async () => {
  await inTmux(50, 14, fathom(DIVE_FIXTURE), async (t) => {
    const s = await t.waitFor(/Layer 0/);
    const lines = s.split('\n').slice(0, 12);
    for (const l of lines) {
      assert.equal([...l].length, 50, `a full-width row: ${JSON.stringify(l)}`);
      assert.match(l, /^[╭│╰].*[╮│╯]$/u);
    }
    assert.match(lines[0]!, /^╭─+╮╭─+╮$/);
    assert.match(lines[11]!, /^╰─+╯╰─+╯$/);
    t.keys('?');
    await t.waitFor(/Keys \(1–8 of \d+/);
    t.keys('NPage', 'NPage', 'NPage', 'NPage');
    await t.waitFor(/rule findings/);
    t.keys('Escape', 'q');
    await t.waitFor(/EXIT=0/);
  });
});

test('tmux: NO_COLOR leaves colour out of the browser (the cursor stays inverse); without it there is colour', async () => {
  let coloured: string[] = [];
  await inTmux(100, 30, fathom(DIVE_FIXTURE), async (t) => {
    await t.waitFor(/Layer 0/);
    coloured = colourCodes(t.screen(true));
    t.keys('q');
    await t.waitFor(/EXIT=0/);
  });
  assert.ok(coloured.length > 0, 'colour without NO_COLOR');
  await inTmux(100, 30, fathom(DIVE_FIXTURE, 'NO_COLOR=1'), async (t) => {
    await t.waitFor(/Layer 0/);
    t.keys('Tab');
    await t.waitFor(/files pane/);
    const s = t.screen(true);
    assert.deepEqual(colourCodes(s), []);
    assert.match(s, /\u001b\[[0-9;]*\b7m/, 'the cursor row is inverse');
    t.keys('q');
    await t.waitFor(/EXIT=0/);
  });
});

test('tmux: q and ctrl+c quit while the image loads, and leave no progress line', async () => {
  const { nginx } = await debianImages();
  // the first 8 MB, then nothing for a while: the load is under way when the key comes
  const slow = (key: string, code: number) =>
    // bash's process substitution rather than a pipe: the shell reports fathom's exit without waiting for the sleep
    inTmux(100, 20, `bash -c '${fathom('-')} < <(head -c 8000000 ${nginx}; sleep 30)'`, async (t) => {
      await t.waitFor(/reading .* {2}/);
      t.keys(key);
      const s = await t.waitFor(/EXIT=\d+/);
      assert.match(s, new RegExp(`^EXIT=${code}$`, 'm'));
      assert.doesNotMatch(s, /reading/);
    });
  await slow('q', 0);
  await slow('C-c', 130);
});

test('tmux, a Debian image: Down, Tab, ctrl+u and a filter typed 20 ms apart while the trees are built — no key lost', async () => {
  const { nginx } = await debianImages();
  await inTmux(80, 24, fathom(nginx), async (t) => {
    await t.waitFor(/Layer 0 \(everything added\)/, 30000);
    for (const k of ['Down', 'Tab', 'C-u', 'C-f', 'n', 'g', 'i', 'n', 'x', 'Enter', 'C-b']) {
      t.keys(k);
      await sleep(20);
    }
    const s = await t.waitFor(/Permission/);
    assert.match(s, /Layer 1 vs layer 0/);
    assert.match(s, /Filter \(regex\): nginx/);
    t.keys('q');
    await t.waitFor(/EXIT=0/);
  });
});

test('tmux: with -, the archive comes from stdin and the keys from the terminal (/dev/tty)', async () => {
  await inTmux(150, 40, `cat ${DIVE_FIXTURE} | ${fathom('-')}`, async (t) => {
    const s = await t.waitFor(/Layer 0 \(everything added\)/);
    assert.match(s, /dive-test:latest/);
    t.keys('j');
    await t.waitFor(/Layer 1 vs layer 0/);
    t.keys('q');
    await t.waitFor(/EXIT=0/);
  });
});

/** A HOME holding one dive config file, for the child's environment (the test's own HOME is not touched). */
function diveHome(path: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-e2e-home-'));
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
  return `-u DIVE_CONFIG HOME=${dir} XDG_CONFIG_HOME= XDG_CONFIG_DIRS=`;
}

test("tmux: ~/.config/dive/*.yaml rebinds as in dive 0.12 (x quits, q does not, the hint says x), ctrl+/ filters; a bad key exits 2", async () => {
  const env = diveHome('.config/dive/mine.yaml', 'keybinding:\n  quit: x\n  toggle-filetree-attributes: ctrl+t\nfiletree:\n  collapse-dir: true\n');
  await inTmux(120, 30, fathom(DIVE_FIXTURE, env), async (t) => {
    const first = await t.waitFor(/Layer 0 \(everything added\)/);
    assert.match(first, /x quit · tab pane/);
    assert.match(first, /⊕ bin\//, 'filetree.collapse-dir: every directory folded');
    t.keys('q');
    await sleep(300);
    t.keys('C-t');
    await t.waitFor(/Permission {2}UID:GID/);
    t.keys('C-_');
    await t.waitFor(/Filter \(regex\):/);
    t.keys('Escape', 'x');
    await t.waitFor(/EXIT=0/);
  });
  await inTmux(120, 30, fathom(DIVE_FIXTURE, diveHome('.dive.yaml', 'keybinding:\n  filter-files: ctrl+f, hyper+f\n')), async (t) => {
    const s = await t.waitFor(/EXIT=\d+/);
    assert.match(s, /^fathom: \S+\/\.dive\.yaml: keybinding\.filter-files: unknown key "hyper\+f" in "ctrl\+f, hyper\+f"$/m);
    assert.match(s, /^EXIT=2$/m);
  });
});

test("tmux: --dive-ui shows layer 0 as dive 0.12 does (name order, attributes, guide lines), read off dive's own screen", async () => {
  await inTmux(150, 30, fathom(`--dive-ui ${DIVE_FIXTURE}`, diveHome('.dive.yaml', 'keybinding:\n  toggle-sort-order: ctrl+s\n')), async (t) => {
    const s = await t.waitFor(/Layer 0 \(everything added\)/);
    // dive 0.12 on this image: ├── bin, │   ├── [, │   ├── [[ → bin/[, │   ├── acpid → bin/[, │   ├── add-shell → bin/[
    assert.match(s, /Permission {2}UID:GID {10}Size {2}Filetree/);
    assert.match(s, /A drwxr-xr-x {2}0:0 +1\.15 MB {2}├── bin\/ +│\n.*A -rwxr-xr-x {2}0:0 +1\.08 MB {2}│ {3}├── \[ +│\n.*│ {3}├── \[\[ ⇒ \/bin\/\[ +│\n.*│ {3}├── acpid ⇒ \/bin\/\[ +│\n.*│ {3}├── add-shell ⇒/);
    assert.match(s, /sorted by name/);
    assert.match(s, /\^s sort/, 'the rebound key in the hints');
    t.keys('C-s');
    await t.waitFor(/sorted by size/);
    t.keys('q');
    await t.waitFor(/EXIT=0/);
  });
});

test('tmux: fathom diff opens the browser the way fathom IMAGE does — q and ctrl+c during the load, no progress line left', async () => {
  const { nginx } = await debianImages();
  // BASE from a file, HEAD from stdin: its first 8 MB, then nothing for a while, so HEAD's load is under way
  const slow = (key: string, code: number) =>
    inTmux(100, 20, `bash -c '${fathom(`diff ${DIVE_FIXTURE} -`)} < <(head -c 8000000 ${nginx}; sleep 30)'`, async (t) => {
      await t.waitFor(/reading \d/); // the load is under way (HEAD, from stdin, may not have named an entry yet)
      t.keys(key);
      const s = await t.waitFor(/EXIT=\d+/);
      assert.match(s, new RegExp(`^EXIT=${code}$`, 'm'));
      assert.doesNotMatch(s, /reading|analysing/);
    });
  await slow('q', 0);
  await slow('C-c', 130);
  await inTmux(120, 30, fathom(`diff ${DIVE_FIXTURE} ${DIVE_FIXTURE}`), async (t) => {
    await t.waitFor(/Layer 13 vs BASE dive-test:latest/);
    t.keys('q');
    const s = await t.waitFor(/EXIT=\d+/);
    assert.match(s, /^EXIT=0$/m);
  });
});
