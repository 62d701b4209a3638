/**
 * A float64 as Go's `%v` prints it (strconv.FormatFloat(x, 'g', -1, 64)), which dive's PASS/FAIL lines use: the
 * shortest digits that read back to the same number — the same digits JavaScript finds — but in exponent form when
 * the decimal exponent is below -4 or at least 6 (`1e-05`, `1.8160795684994945e-05`, `1e+06`), with a sign and at
 * least two exponent digits; NaN and the infinities as Go spells them.
 */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, e] = x.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) {
    const digits = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${mantissa}e${exp < 0 ? '-' : '+'}${digits}`;
  }
  // within the decimal range JavaScript's own form is Go's (JavaScript switches to exponents only below 1e-6)
  return String(x);
}
