import type { GateResult } from '../../ci/check.js';
import { buildPageData } from '../../report/html/buildPageData.js';
import { renderHtml } from '../../report/html/htmlReport.js';
import { CHANGE_ADDED, CHANGE_MODIFIED, CHANGE_REMOVED } from '../../report/html/pageData.js';
import type { DiffResult } from '../diffImages.js';
import { changeCounts } from './diffWords.js';

/**
 * The HTML report of a diff: HEAD's page, its tree the union of both images' paths (removed ones keep BASE's bytes
 * as `baseSize`), each node marked by its change, the diff gate's checks, and the layer alignment.
 */
export function diffPage(result: DiffResult, gate: GateResult, version: string): string {
  const { base, head, diff } = result;
  const changes = new Map<string, number>();
  for (const f of diff.files) {
    if (f.change === 'added') changes.set(f.path, CHANGE_ADDED);
    else if (f.change === 'removed') changes.set(f.path, CHANGE_REMOVED);
    else if (f.change === 'changed') changes.set(f.path, CHANGE_MODIFIED);
    else {
      changes.set(f.path, CHANGE_ADDED);
      changes.set(f.from!, CHANGE_REMOVED);
    }
  }
  const data = buildPageData({ image: head.image, analysis: head.analysis, gate, version, base: head.base }, { base: { files: base.image.files, changes } });
  const n = changeCounts(diff);
  return renderHtml({
    ...data,
    kind: 'diff',
    diff: {
      base: { name: diff.base.name, id: diff.base.id, sizeBytes: diff.sizeBytes.base, layers: diff.base.layers },
      sizeDelta: diff.sizeBytes.delta,
      pullBytes: diff.pullBytes,
      alignment: diff.layers.rows.map((r) => ({
        diffId: r.diffId,
        ...(r.base !== undefined ? { base: r.base } : {}),
        ...(r.head !== undefined ? { head: r.head } : {}),
        state: r.state,
        size: r.size,
        storedSize: r.storedSize,
        command: r.command,
      })),
      ...n,
      startRegression: diff.start.regression,
      newFindings: diff.findings.new.length,
      fixedFindings: diff.findings.fixed.length,
    },
  });
}
