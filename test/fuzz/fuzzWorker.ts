/** The worker thread that runs fuzz cases one at a time for the campaign (campaign.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { runCase, type CaseSpec } from './fuzzCase.js';

const { seed, zstdPath, scratchFile } = workerData as { seed: number; zstdPath: string; scratchFile: string };
let current = -1;

// a rejection nobody handled belongs to the case that is running (or the one just finished): a finding either way
process.on('unhandledRejection', (reason) => {
  parentPort!.postMessage({ type: 'unhandled', caseNo: current, message: (reason as Error)?.stack ?? String(reason) });
});

parentPort!.on('message', (m: { caseNo: number }) => {
  current = m.caseNo;
  const spec: CaseSpec = { seed, caseNo: m.caseNo, zstdPath, scratchFile };
  void runCase(spec).then((outcome) => parentPort!.postMessage({ type: 'done', caseNo: m.caseNo, outcome }));
});
