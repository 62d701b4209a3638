import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { loadBrowserSettings } from '../../src/cli/browserSettings.js';
import { diveConfigPath } from '../../src/cli/diveConfig.js';
import { Browser } from '../../ui/model/browser.js';
import { parseKey, parseKeyList } from '../../ui/model/keySpec.js';
import { renderBrowser } from '../helpers/inkApp.js';
import { DIVE_FIXTURE, loadFile } from '../helpers/shared.js';

// dive 0.12 reads its config with viper (cmd/root.go initConfig) and parses `keybinding.*` with
// awesome-gocui/keybinding (Parse: tokens split at + and spaces, a `translate` table, gocui's Key constants, which are
// the bytes a terminal sends: KeyCtrlSlash = KeyCtrl7 = KeyCtrlUnderscore = 0x1f, KeyCtrlSpace = KeyCtrl2 = 0).
const image = await loadFile(DIVE_FIXTURE);
const analysis = analyzeImage(image);

/** A temporary HOME, its files written from `files` (path relative to it → text). */
function home(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-dive-home-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The browser with the settings a CLI run would read for this HOME and environment (no fathom config there). */
async function browserFor(dir: string, env: Record<string, string> = {}, diveUi = false) {
  const settings = await loadBrowserSettings({ cwd: dir, env, home: dir, diveUi });
  const b = new Browser({ image, analysis, checks: [], baseLayers: 1 }, settings.keys, settings.options);
  return { b, ...(await renderBrowser(b)) };
}

test("dive's key names as keybinding parses them: the byte a terminal sends decides", () => {
  assert.equal(parseKey('ctrl+slash'), 'ctrl+/');
  assert.equal(parseKey('ctrl+/'), 'ctrl+/');
  assert.equal(parseKey('ctrl+_'), 'ctrl+/', 'translate: _ is Underscore, KeyCtrlUnderscore is 0x1f');
  assert.equal(parseKey('ctrl+7'), 'ctrl+/');
  assert.equal(parseKey('ctrl+2'), 'ctrl+space');
  assert.equal(parseKey('ctrl+space'), 'ctrl+space');
  assert.equal(parseKey('pgup'), 'pageup');
  assert.equal(parseKey('pageup'), 'pageup');
  assert.equal(parseKey('pgdn'), 'pagedown');
  assert.equal(parseKey('pgdown'), 'pagedown');
  assert.equal(parseKey('enter'), 'return');
  assert.equal(parseKey('ctrl+i'), 'tab', 'KeyCtrlI is KeyTab');
  assert.equal(parseKey('escape'), 'escape');
  assert.equal(parseKey('Q'), 'Q', 'a single letter keeps its case');
  assert.equal(parseKey('ctrl+F'), 'ctrl+f');
  assert.equal(parseKey('up'), 'up');
  assert.equal(parseKey('f5'), 'f5', 'dive accepts function keys; the browser cannot read them, but the file loads');
  assert.deepEqual(parseKeyList('ctrl+f, ctrl+slash'), ['ctrl+f', 'ctrl+/'], "dive's default filter-files");
  assert.deepEqual(parseKeyList('ctrl+c,q'), ['ctrl+c', 'q'], "dive's default quit");
  assert.throws(() => parseKey('shift+a'), /unknown key "shift\+a"/, 'keybinding has no KeyShiftA');
  assert.throws(() => parseKey('ctrl+up'), /unknown key/);
  assert.throws(() => parseKeyList('ctrl+f,'), /empty key name/);
});

test("dive's lookup order: --config, DIVE_CONFIG, $XDG_CONFIG_HOME/dive/*.yaml, $XDG_CONFIG_DIRS, ~/.config/dive/*.yml, ~/.dive.yaml", () => {
  const dir = home({ 'xdg/dive/b.yaml': '', 'xdg/dive/a.yml': '', 'etc-xdg/dive/z.yaml': '', '.config/dive/c.yml': '', '.dive.yaml': '' });
  const env = { XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_CONFIG_DIRS: join(dir, 'etc-xdg'), DIVE_CONFIG: join(dir, 'env.yaml') };
  assert.deepEqual(diveConfigPath({ explicit: 'x.yaml', env, home: dir }), { file: 'x.yaml', required: true });
  assert.deepEqual(diveConfigPath({ env, home: dir }), { file: join(dir, 'env.yaml'), required: true });
  const noEnv = { ...env, DIVE_CONFIG: '' };
  assert.equal(diveConfigPath({ env: noEnv, home: dir }).file, join(dir, 'xdg/dive/a.yml'), 'the first in name order, .yml too');
  assert.equal(diveConfigPath({ env: { XDG_CONFIG_DIRS: `/nonexistent:${join(dir, 'etc-xdg')}` }, home: dir }).file, join(dir, 'etc-xdg/dive/z.yaml'));
  assert.equal(diveConfigPath({ env: {}, home: dir }).file, join(dir, '.config/dive/c.yml'));
  assert.deepEqual(diveConfigPath({ env: {}, home: home({}) }).file.endsWith('/.dive.yaml'), true);
  assert.equal(diveConfigPath({ env: {}, home: home({}) }).required, false);
});

test('~/.dive.yaml rebinds through Ink: quit is x alone, ctrl+g filters; help lists the active bindings', async () => {
  const dir = home({ '.dive.yaml': 'keybinding:\n  quit: x\n  filter-files: ctrl+g\n  toggle-view: ctrl+t, tab\n' });
  const { b, press, frame, unmount } = await browserFor(dir);
  assert.match(frame(), /x quit · \^t\/?\S* pane/);
  await press('q');
  assert.equal(b.state.quit, false, "dive's rebinding replaces the action's keys: q no longer quits");
  await press('\u0006');
  assert.equal(b.state.filterEditing, false, 'ctrl+f was the filter; the file bound it to ctrl+g alone');
  await press('\u0007');
  assert.equal(b.state.filterEditing, true, 'ctrl+g (0x07) opens the filter');
  await press('\u001b');
  await press('?');
  const help = frame();
  assert.match(help, /^.*\bx {17} quit/m, 'help shows x for quit');
  assert.match(help, /ctrl\+g {12} filter paths/);
  assert.match(help, /ctrl\+t, tab {7} switch pane/);
  assert.doesNotMatch(help, /q, ctrl\+c/);
  await press('\u001b');
  await press('\u0014');
  assert.equal(b.state.focus, 'layers', 'ctrl+t (0x14) switches pane (the filter had moved it to the files)');
  await press('x');
  assert.equal(b.state.quit, true);
  unmount();
});

test("dive's defaults bind ctrl+/ (0x1f) to the filter and ctrl+p (0x10) to wrapping the tree, as dive 0.12 does", async () => {
  const { b, press, frame, unmount } = await browserFor(home({}));
  await press('\u001f');
  assert.equal(b.state.filterEditing, true);
  await press('\u001b');
  await press('\t');
  await press('\u0002');
  // with attributes, `hrwxr-xr-x  0:0  0 B  add-shell ⇒ /bin/[` is wider than the pane: cut, or wrapped as gocui wraps
  const continuation = /│\/?b?i?n?\/\[ +│$/m;
  assert.match(frame(), /add-shell ⇒ \S*…│/);
  assert.doesNotMatch(frame(), continuation);
  await press('\u0010');
  assert.equal(b.state.wrapTree, true);
  assert.match(frame(), continuation, 'the rest of the line on the next row');
  assert.doesNotMatch(frame(), /add-shell ⇒ \S*…│/);
  await press('\u0010');
  assert.equal(b.state.wrapTree, false);
  unmount();
});

test('$XDG_CONFIG_HOME/dive/*.yaml: diff.hide, filetree.show-attributes, filetree.collapse-dir, layer.show-aggregated-changes, keys case-blind', async () => {
  const dir = home({
    'xdg/dive/settings.yaml': [
      'Keybinding:',
      '  Page-Down: ctrl+n',
      'diff:',
      '  hide: [unmodified, Removed]',
      'filetree:',
      '  show-attributes: yes', // YAML 1.1, as dive's yaml.v2 reads it: a boolean
      '  collapse-dir: true',
      '  pane-width: 0.6',
      'layer:',
      '  show-aggregated-changes: true',
      'log: { enabled: false }',
    ].join('\n'),
  });
  const { b, press, frame, unmount } = await browserFor(dir, { XDG_CONFIG_HOME: join(dir, 'xdg') });
  assert.deepEqual([...b.state.hide].sort(), ['removed', 'unmodified']);
  assert.equal(b.state.showAttributes, true);
  assert.equal(b.state.compare, 'aggregated');
  assert.match(frame(), /Permission {2}UID:GID/);
  assert.match(frame(), /⊕ bin\//, 'every directory folded');
  await press('\t');
  await press('\u000e');
  assert.equal(b.state.cursor, Math.min(b.state.treeHeight, b.treeView().totalRows - 1), 'ctrl+n pages down');
  unmount();
});

test('a bad dive config is one error naming the file and the key', async () => {
  const cases: Array<[string, RegExp]> = [
    ['keybinding:\n  quit: hyper+q\n', /\.dive\.yaml: keybinding\.quit: unknown key "hyper\+q"/],
    ['diff:\n  hide: added, removed\n', /\.dive\.yaml: diff\.hide: unknown value "added,"/],
    ['filetree:\n  show-attributes: maybe\n', /\.dive\.yaml: filetree\.show-attributes: expected true or false/],
    ['keybinding: [quit]\n', /\.dive\.yaml: keybinding: expected a mapping/],
    ['keybinding:\n  quit: [x\n', /\.dive\.yaml: invalid YAML/],
  ];
  for (const [text, re] of cases) {
    const dir = home({ '.dive.yaml': text });
    await assert.rejects(loadBrowserSettings({ cwd: dir, env: {}, home: dir }), (err: Error) => err.name === 'ConfigError' && re.test(err.message) && !err.message.includes('\n'));
  }
  const dir = home({});
  await assert.rejects(loadBrowserSettings({ cwd: dir, env: {}, home: dir, explicit: join(dir, 'missing.yaml') }), /missing\.yaml: cannot read the dive config \(ENOENT\)/);
  await assert.rejects(loadBrowserSettings({ cwd: dir, env: { DIVE_CONFIG: join(dir, 'gone.yaml') }, home: dir }), /gone\.yaml: cannot read/);
});

test("--dive-ui opens with dive 0.12's look: sorted by name, attributes, guide lines; dive's file and dive-ui: true in a fathom config", async () => {
  const { b, frame, unmount } = await browserFor(home({}), {}, true);
  assert.equal(b.state.sort, 'name');
  assert.equal(b.state.treeGuideLines, true);
  // dive 0.12's first rows of this image's layer 0, read off its screen in tmux: ├── bin, │   ├── [, │   ├── [[ → bin/[
  assert.match(frame(), /Permission {2}UID:GID/);
  assert.match(frame(), /drwxr-xr-x  0:0 +1\.15 MB {2}├── bin\/ *│\n.*-rwxr-xr-x  0:0 +1\.08 MB {2}│ {3}├── \[ *│\n.*│ {3}├── \[\[ ⇒ \/bin\/\[/);
  assert.match(frame(), /sorted by name/);
  unmount();
  const over = await loadBrowserSettings({ cwd: home({}), env: {}, home: home({ '.dive.yaml': 'filetree:\n  show-attributes: false\n' }), diveUi: true });
  assert.deepEqual(over.options, { sort: 'name', showAttributes: false, treeGuideLines: true }, "dive's file over --dive-ui");
  const project = home({ 'package.json': '{"name":"p"}', '.fathomrc.yaml': 'dive-ui: true\n' });
  assert.equal((await loadBrowserSettings({ cwd: project, env: {}, home: project })).options.treeGuideLines, true);
  const plain = await loadBrowserSettings({ cwd: home({}), env: {}, home: home({}) });
  assert.deepEqual(plain.options, {}, "without it, fathom's defaults");
});
