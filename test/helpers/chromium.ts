import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (installed by .ci/run); playwright-core drives it and never downloads a browser. */
export const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

// what chromium needs as root in a container, and no traffic of its own (updates, sync, QUIC probes)
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(opts: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'fathom-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: opts.width ?? 1400, height: opts.height ?? 1000 },
    colorScheme: opts.colorScheme ?? 'light',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface OpenedReport {
  readonly page: Page;
  /** Console errors and warnings, uncaught exceptions. */
  readonly problems: string[];
  /** Every request the page made other than the report file itself. */
  readonly requests: string[];
  /** Milliseconds from navigation start to the page's `fathom-first-render` mark (after its first frame). */
  readonly firstRenderMs: number;
}

export async function openReport(browser: Browser, file: string, hash = ''): Promise<OpenedReport> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url && r.url() !== url + hash) requests.push(r.url());
  });
  await page.goto(url + hash);
  await page.waitForFunction(() => performance.getEntriesByName('fathom-first-render').length > 0, undefined, { timeout: 20_000 });
  const firstRenderMs = await page.evaluate(() => performance.getEntriesByName('fathom-first-render')[0]!.startTime);
  return { page, problems, requests, firstRenderMs };
}
