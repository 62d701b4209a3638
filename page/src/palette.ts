/**
 * Colours: each of the user's layers a hue of its own, base-image layers in greys (what you added stands out from
 * what you started from). Colour is never the only carrier: every layer is also named in text, and hidden bytes
 * are hatched.
 */
const USER = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#86bcb6', '#d37295', '#a0cbe8'];
const BASE = ['#8e8e8e', '#b4b4b4', '#6f6f6f', '#a2a2a2'];

function mix(hex: string, toward: number, amount: number): string {
  const v = parseInt(hex.slice(1), 16);
  const ch = (shift: number) => Math.round(((v >> shift) & 255) * (1 - amount) + toward * amount);
  return `#${((ch(16) << 16) | (ch(8) << 8) | ch(0)).toString(16).padStart(6, '0')}`;
}

export class Palette {
  private readonly colours: string[];

  constructor(layerCount: number, baseCount: number) {
    this.colours = [];
    for (let k = 0; k < layerCount; k++) {
      if (k < baseCount) {
        this.colours.push(BASE[k % BASE.length]!);
        continue;
      }
      const u = k - baseCount;
      const round = Math.floor(u / USER.length);
      const hue = USER[u % USER.length]!;
      // past twelve layers, the hues come back lighter, then darker
      this.colours.push(round === 0 ? hue : mix(hue, round % 2 === 1 ? 255 : 0, 0.35));
    }
  }

  layer(k: number): string {
    return this.colours[k] ?? '#9a9a9a';
  }
}

/** The theme's colours for the canvas, read from the stylesheet's custom properties (light or dark). */
export interface Theme {
  readonly bg: string;
  readonly fg: string;
  readonly panel: string;
  readonly edge: string;
  readonly accent: string;
}

export function readTheme(el: Element): Theme {
  const s = getComputedStyle(el);
  const v = (name: string, fallback: string) => s.getPropertyValue(name).trim() || fallback;
  return { bg: v('--bg', '#ffffff'), fg: v('--fg', '#1b1b1b'), panel: v('--panel', 'rgba(255,255,255,0.85)'), edge: v('--edge', '#ffffff'), accent: v('--accent', '#0b57d0') };
}
