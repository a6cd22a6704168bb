import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contrastOfHex,
  contrastRatio,
  contrastVerdict,
  parseHexColor,
  type Rgb,
  relativeLuminance,
  toHexColor,
} from './contrast.js';

const channel = fc.integer({ min: 0, max: 255 });
const color = fc.record({ r: channel, g: channel, b: channel });
const BLACK: Rgb = { r: 0, g: 0, b: 0 };
const WHITE: Rgb = { r: 255, g: 255, b: 255 };

describe('contrast (WCAG 2.x)', () => {
  it('black on white is 21:1 and a colour on itself is 1:1', () => {
    expect(contrastRatio(BLACK, WHITE)).toBe(21);
    expect(contrastRatio(WHITE, BLACK)).toBe(21);
    expect(relativeLuminance(BLACK)).toBe(0);
    expect(relativeLuminance(WHITE)).toBeCloseTo(1, 12);
    fc.assert(fc.property(color, (c) => Math.abs(contrastRatio(c, c) - 1) < 1e-12));
  });

  it('matches published values at the AA boundary', () => {
    // #767676 is the lightest grey that passes AA on white (4.54:1); #777777 fails with 4.48:1.
    expect(contrastOfHex('#767676', '#ffffff')?.ratio).toBeCloseTo(4.54, 2);
    expect(contrastOfHex('#767676', '#fff')?.aaNormal).toBe(true);
    expect(contrastOfHex('#777777', '#ffffff')?.ratio).toBeCloseTo(4.48, 2);
    expect(contrastOfHex('#777', '#ffffff')).toMatchObject({ aaNormal: false, aaLarge: true, aaaLarge: false });
    // Pure red on white: 4.0:1, large text only.
    expect(contrastOfHex('#ff0000', '#ffffff')).toMatchObject({ aaNormal: false, aaLarge: true });
    expect(contrastOfHex('#ff0000', '#ffffff')?.ratio).toBeCloseTo(3.998, 3);
    // The demo theme's white on brand red passes AA for normal text.
    expect(contrastOfHex('#ffffff', '#c8232c')?.aaNormal).toBe(true);
  });

  it('is symmetric and always within [1, 21]', () => {
    fc.assert(
      fc.property(color, color, (a, b) => {
        const ratio = contrastRatio(a, b);
        return ratio === contrastRatio(b, a) && ratio >= 1 && ratio <= 21;
      }),
    );
  });

  it('never beats black on white, and grows as the foreground darkens on white', () => {
    fc.assert(fc.property(color, color, (a, b) => contrastRatio(a, b) <= contrastRatio(BLACK, WHITE)));
    fc.assert(
      fc.property(channel, channel, (x, y) => {
        const [light, dark] = x >= y ? [x, y] : [y, x];
        const grey = (v: number): Rgb => ({ r: v, g: v, b: v });
        return contrastRatio(grey(dark), WHITE) >= contrastRatio(grey(light), WHITE);
      }),
    );
  });

  it('verdicts are ordered: AAA normal ⇒ AA normal ⇒ AA large, AAA normal ⇒ AAA large ⇒ AA large', () => {
    fc.assert(
      fc.property(color, color, (a, b) => {
        const v = contrastVerdict(a, b);
        return (
          (!v.aaaNormal || v.aaNormal) &&
          (!v.aaNormal || v.aaLarge) &&
          (!v.aaaNormal || v.aaaLarge) &&
          (!v.aaaLarge || v.aaLarge) &&
          v.aaNormal === v.aaaLarge
        );
      }),
    );
  });

  it('parses #rgb and #rrggbb and refuses anything else', () => {
    expect(parseHexColor('#0af')).toEqual({ r: 0, g: 0xaa, b: 0xff });
    expect(parseHexColor('C8232C')).toEqual({ r: 200, g: 35, b: 44 });
    for (const bad of ['', '#12', '#12345', '#gggggg', 'red', '#1234567', 'rgb(0,0,0)']) {
      expect(parseHexColor(bad)).toBeNull();
    }
    expect(contrastOfHex('nope', '#fff')).toBeNull();
    fc.assert(fc.property(color, (c) => JSON.stringify(parseHexColor(toHexColor(c))) === JSON.stringify(c)));
  });
});
