import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZRegionsFile } from '../content/region-catalog.js';

// WCAG 2 relative luminance and contrast ratio.
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('demo region themes', () => {
  const file = ZRegionsFile.parse(
    JSON.parse(fs.readFileSync(new URL('../../../demo/regions.json', import.meta.url), 'utf8')),
  );

  it('keep link and header colours readable (WCAG AA, 4.5:1) in every region', () => {
    for (const region of file.regions) {
      const { brand, brandContrast, surface } = region.theme;
      expect(brand && brandContrast && surface, region.code).toBeTruthy();
      // Links are brand-coloured on white cards and on the page surface; the header is brandContrast on brand.
      expect(contrast(brand!, '#ffffff'), `${region.code} links on cards`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(brand!, surface!), `${region.code} links on the page`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(brandContrast!, brand!), `${region.code} header`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('measures contrast correctly', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#e0a100', '#ffffff')).toBeLessThan(4.5);
  });
});
