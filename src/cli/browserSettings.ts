import { homedir } from 'node:os';
import { DIVE_UI_OPTIONS, DiveSettingError, diveSettings, type DiveSettings } from '../../ui/model/diveSettings.js';
import { DEFAULT_KEYS, keyBindingsFrom } from '../../ui/model/keys.js';
import { ConfigError } from '../errors.js';
import { readDiveConfig, type DiveConfigPlaces } from './diveConfig.js';

export interface SettingsRequest extends Partial<DiveConfigPlaces> {
  /** Where a fathom config (`.fathomrc*`, `fathom.config.*`, a "fathom" key in package.json) is searched from. */
  readonly cwd: string;
  /** `--dive-ui`. */
  readonly diveUi?: boolean | undefined;
}

/** The `--config` and `--dive-ui` options of the commands that open the browser, as a request. */
export function settingsRequest(args: { config?: string | undefined; diveUi?: boolean | undefined }): SettingsRequest {
  return { cwd: process.cwd(), explicit: args.config, diveUi: args.diveUi };
}

async function fathomConfig(cwd: string): Promise<{ file?: string; config: { keys?: unknown; 'dive-ui'?: unknown } }> {
  // loaded for the browser only: a review without one never needs it
  const c = await import('cosmiconfig');
  // CommonJS: node's loader names its exports, esbuild's bundle has them as the default only
  const cosmiconfig = c.cosmiconfig ?? c.default.cosmiconfig;
  const found = await cosmiconfig('fathom').search(cwd);
  return found ? { file: found.filepath, config: (found.config ?? {}) as { keys?: unknown } } : { config: {} };
}

/**
 * The browser's bindings and opening view, each layer over the one before: fathom's defaults; dive's look with
 * `--dive-ui` or `dive-ui: true` in a fathom config; dive's own config file (diveConfig.ts); then the `keys:` of a
 * fathom config. Read before the image, so a bad file stops the run at once: one line naming the file and the key.
 */
export async function loadBrowserSettings(req: SettingsRequest): Promise<DiveSettings> {
  const fathom = await fathomConfig(req.cwd);
  const where = fathom.file ?? 'fathom config';
  const diveUiKey = fathom.config['dive-ui'];
  if (diveUiKey !== undefined && typeof diveUiKey !== 'boolean') throw new ConfigError(`${where}: dive-ui: expected true or false`);
  const base = req.diveUi === true || diveUiKey === true ? DIVE_UI_OPTIONS : {};
  const dive = await readDiveConfig({ explicit: req.explicit, env: req.env ?? process.env, home: req.home ?? homedir() });
  let settings: DiveSettings = { keys: DEFAULT_KEYS, options: base };
  if (dive) {
    try {
      settings = diveSettings(dive.raw, DEFAULT_KEYS, base);
    } catch (err) {
      if (err instanceof DiveSettingError) throw new ConfigError(`${dive.file}: ${err.message}`);
      throw err;
    }
  }
  try {
    return { ...settings, keys: keyBindingsFrom(fathom.config.keys, settings.keys) };
  } catch (err) {
    throw new ConfigError(`${where}: ${(err as Error).message}`);
  }
}
