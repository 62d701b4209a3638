const SI = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/**
 * Bytes as dive prints them (go-humanize's Bytes, SI units): `13 kB`, `6.4 kB`, `9 B`.
 * Written here rather than using pretty-bytes because dive's users grep for these exact strings
 * (pretty-bytes prints `12.8 kB` where dive prints `13 kB`).
 */
export function diveBytes(n: number): string {
  if (n < 10) return `${n} B`;
  const e = Math.floor(Math.log(n) / Math.log(1000));
  const val = Math.floor((n / Math.pow(1000, e)) * 10 + 0.5) / 10;
  return val < 10 ? `${val.toFixed(1)} ${SI[e]}` : `${roundHalfEven(val)} ${SI[e]}`;
}

/** Go's `%.0f` rounds a tie to the even neighbour (12.5 → 12); JavaScript's toFixed rounds it up. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (Math.abs(d - 0.5) < 1e-9) return f % 2 === 0 ? f : f + 1;
  return Math.round(x);
}
