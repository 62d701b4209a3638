import type { Analysis } from '../analysis/analyzeImage.js';
import type { Check } from './check.js';
import type { GateConfig } from './gateConfig.js';
import { goFloat } from './goFloat.js';
import type { Threshold } from './thresholdValue.js';

const IMAGE = [{ configField: 'image' }];

function skip(id: string, title: string): Check {
  return { id, title, status: 'SKIP', message: 'rule disabled', locations: IMAGE };
}

const v = goFloat;

function thresholdCheck(
  id: string,
  title: string,
  t: Threshold,
  value: number,
  failed: (limit: number) => boolean,
  failMessage: (limit: number) => string,
  passMessage: (limit: number) => string,
): Check {
  if (!t.enabled) return skip(id, title);
  const fail = failed(t.value);
  return {
    id,
    title,
    status: fail ? 'FAIL' : 'PASS',
    message: fail ? failMessage(t.value) : passMessage(t.value),
    value,
    threshold: t.value,
    locations: IMAGE,
  };
}

/** dive's three CI rules, with dive's strict comparisons and failure messages. */
export function thresholdChecks(a: Analysis, cfg: GateConfig): Check[] {
  // dive divides by zero when no layer is the user's: NaN, which no threshold comparison fails
  const userWasted = a.userSizeBytes === 0 ? NaN : a.userWastedPercent;
  return [
    thresholdCheck(
      'highestUserWastedPercent',
      'Wasted bytes relative to the user layers',
      cfg.highestUserWastedPercent,
      a.userWastedPercent,
      (limit) => limit < userWasted,
      (limit) => `too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=${v(userWasted)} > threshold=${v(limit)})`,
      (limit) => `%-user-wasted-bytes=${v(userWasted)} <= threshold=${v(limit)}`,
    ),
    thresholdCheck(
      'highestWastedBytes',
      'Wasted bytes',
      cfg.highestWastedBytes,
      a.wastedBytes,
      (limit) => a.wastedBytes > limit,
      (limit) => `too many bytes wasted (wasted-bytes=${a.wastedBytes} > threshold=${limit})`,
      (limit) => `wasted-bytes=${a.wastedBytes} <= threshold=${limit}`,
    ),
    thresholdCheck(
      'lowestEfficiency',
      'Image efficiency',
      cfg.lowestEfficiency,
      a.efficiency,
      (limit) => limit > a.efficiency,
      (limit) => `image efficiency is too low (efficiency=${v(a.efficiency)} < threshold=${v(limit)})`,
      (limit) => `efficiency=${v(a.efficiency)} >= threshold=${v(limit)}`,
    ),
  ];
}
