/**
 * Colour contrast as WCAG 2.x defines it (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio): relative luminance of
 * sRGB colours and the ratio between two of them, with the AA and AAA verdicts for normal and large text. Shared by
 * the admin app (the live check on a region's theme) and anything on the server that wants to refuse an unreadable
 * theme. Pure and tiny, so written here rather than pulling a colour library into the admin bundle.
 */

/** An sRGB colour with 0–255 channels. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** Minimum ratios (WCAG 2.x success criteria 1.4.3, 1.4.6 and 1.4.11). */
export const CONTRAST_THRESHOLDS = {
  /** Normal text, level AA. */
  aaNormal: 4.5,
  /** Large text (at least 18pt, or 14pt bold), level AA; also user-interface components and focus indicators. */
  aaLarge: 3,
  /** Normal text, level AAA. */
  aaaNormal: 7,
  /** Large text, level AAA. */
  aaaLarge: 4.5,
} as const;

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Parses `#rgb` or `#rrggbb` (the leading # optional); null for anything else. */
export function parseHexColor(value: string): Rgb | null {
  const match = HEX.exec(value.trim());
  if (!match?.[1]) return null;
  let hex = match[1];
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const n = Number.parseInt(hex, 16);
  return { r: (n >> 16) & 0xff, g: (n >> 8) & 0xff, b: n & 0xff };
}

/** The colour as lowercase `#rrggbb`. */
export function toHexColor({ r, g, b }: Rgb): string {
  return `#${[r, g, b]
    .map((c) =>
      Math.round(clamp(c, 0, 255))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** One channel linearised. WCAG 2.x's 0.03928 threshold (sRGB's own is 0.04045; no 8-bit value falls between). */
function linear(channel: number): number {
  const c = clamp(channel, 0, 255) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance in [0, 1]: 0 for black, 1 for white. */
export function relativeLuminance(color: Rgb): number {
  return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b);
}

/** Contrast ratio in [1, 21] between two colours, in either order. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  const [light, dark] = la >= lb ? [la, lb] : [lb, la];
  return (light + 0.05) / (dark + 0.05);
}

export interface ContrastVerdict {
  /** The ratio, e.g. 4.52 (unrounded; round only to show it). */
  ratio: number;
  aaNormal: boolean;
  aaLarge: boolean;
  aaaNormal: boolean;
  aaaLarge: boolean;
}

/**
 * The verdicts for text of one colour on a background of another. WCAG compares the unrounded ratio with the
 * threshold, so 4.499 fails AA even though it shows as 4.5:1 at one decimal.
 */
export function contrastVerdict(foreground: Rgb, background: Rgb): ContrastVerdict {
  const ratio = contrastRatio(foreground, background);
  return {
    ratio,
    aaNormal: ratio >= CONTRAST_THRESHOLDS.aaNormal,
    aaLarge: ratio >= CONTRAST_THRESHOLDS.aaLarge,
    aaaNormal: ratio >= CONTRAST_THRESHOLDS.aaaNormal,
    aaaLarge: ratio >= CONTRAST_THRESHOLDS.aaaLarge,
  };
}

/** contrastVerdict for two hex colours; null when either is not a valid `#rgb`/`#rrggbb`. */
export function contrastOfHex(foreground: string, background: string): ContrastVerdict | null {
  const fg = parseHexColor(foreground);
  const bg = parseHexColor(background);
  return fg && bg ? contrastVerdict(fg, bg) : null;
}
