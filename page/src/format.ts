import prettyBytes from 'pretty-bytes';

export const bytes = (n: number): string => prettyBytes(n);
export const percent = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)} %`;
export const count = (n: number): string => n.toLocaleString('en-US');
export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;
/** A share that is never shown as 0.0 % when it is not zero. */
export const share = (part: number, whole: number): string => {
  if (whole <= 0) return '–';
  const x = part / whole;
  return x > 0 && x < 0.001 ? '< 0.1 %' : percent(x);
};
