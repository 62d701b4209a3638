import React, { useEffect, useState } from 'react';
import { Box, useApp, useInput, useStdout } from 'ink';
import type { Browser, ImageReview } from '../model/browser.js';
import { splitKeys } from '../model/keys.js';
import { DetailsPane } from './DetailsPane.js';
import { FileTreePane } from './FileTreePane.js';
import { LayersPane } from './LayersPane.js';
import { Overlay } from './Overlay.js';
import { StatusBar } from './StatusBar.js';

/** Rows taken by the file tree pane's border, title and header. */
const TREE_CHROME = 4;
/** Rows taken by the status bar below the panes. */
const STATUS_ROWS = 2;

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 100, rows: stdout.rows || 30 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

interface AppProps {
  readonly browser: Browser;
  /** The terminal side's clipboard, given each text a key asked to copy. */
  readonly onCopy?: (text: string) => void;
  /** The image's review, run once the first frame is on screen (it takes longer than the tree and the frame), then shown. */
  readonly review?: () => ImageReview;
  /** The browser's idle work, started after the first frame (and the review): `idleWork` on a terminal. Returns its stop. */
  readonly idle?: (browser: Browser) => () => void;
}

/** dive's layout: layers, layer details and image details on the left, the file tree on the right. */
export function App({ browser, onCopy, review, idle }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [s, setState] = useState(browser.state);
  // the frame is exactly the terminal: panes that add up to more than it break their borders and push rows off
  const height = Math.max(8, rows - STATUS_ROWS);
  const leftWidth = Math.max(Math.min(20, columns >> 1), Math.min(Math.floor(columns * 0.42), columns - 20));
  const rightWidth = columns - leftWidth;
  const treeRows = height - TREE_CHROME;

  // the frame is drawn for the size the terminal has; the state learns it afterwards, for the keys that page and
  // scroll. No re-render for it: the frame already derives its window from this size, as `resize` does.
  useEffect(() => {
    browser.resize(treeRows);
  }, [browser, treeRows]);

  useEffect(() => {
    let stopIdle: (() => void) | undefined;
    // a macrotask later: the first frame has been written by then (Ink writes a frame as React commits it); then
    // the layers' states and orders while no key waits
    const t = setImmediate(() => {
      try {
        if (review) {
          browser.reviewed(review());
          setState(browser.state);
        }
        stopIdle = idle?.(browser);
      } catch (e) {
        exit(e instanceof Error ? e : new Error(String(e)));
      }
    });
    return () => {
      clearImmediate(t);
      stopIdle?.();
    };
  }, [browser, review, idle]);

  useInput((input, key) => {
    for (const k of splitKeys(input, key)) {
      const copied = browser.state.copy;
      browser.press(k);
      if (browser.state.copy && browser.state.copy !== copied) onCopy?.(browser.state.copy.text);
      if (browser.state.quit) break;
    }
    if (browser.state.quit) exit();
    else setState(browser.state);
  });

  const { image, analysis, checks, baseLayers } = browser.input;
  const layer = image.layers[s.layer]!;
  const layersHeight = Math.min(image.layers.length + 3, Math.max(5, Math.floor(height * 0.4)));
  if (s.overlay !== 'none') {
    return (
      <Box flexDirection="column">
        <Overlay kind={s.overlay} items={browser.overlayItems(s)} cursor={s.overlayCursor} width={columns} height={height} path={s.historyPath} />
        <StatusBar state={s} keys={browser.keys} width={columns} />
      </Box>
    );
  }
  const against = s.compare === 'layer' ? s.layer - 1 : 0;
  const versus = s.compare === 'base' && browser.input.against ? `vs BASE ${browser.input.against.name}` : s.layer === 0 ? '(everything added)' : `vs layer ${against}`;
  const title = `Layer ${s.layer} ${versus} · ${browser.treeView(s).totalRows} rows`;
  const tree = browser.treeWindow(treeRows, s);
  return (
    <Box flexDirection="column">
      <Box>
        <Box flexDirection="column" width={leftWidth}>
          <LayersPane layers={image.layers} selected={s.layer} baseLayers={baseLayers ?? 0} focused={s.focus === 'layers'} width={leftWidth} height={layersHeight} compare={s.compare} />
          <DetailsPane image={image} layer={layer} analysis={analysis} checks={checks} width={leftWidth} height={height - layersHeight} />
        </Box>
        <FileTreePane rows={tree.rows} cursorIndex={tree.cursorIndex} focused={s.focus === 'tree'} showAttributes={s.showAttributes} guideLines={s.treeGuideLines} wrap={s.wrapTree} width={rightWidth} height={height} title={title} />
      </Box>
      <StatusBar state={s} keys={browser.keys} width={columns} />
    </Box>
  );
}
