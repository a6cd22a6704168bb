import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLocaleCatalog, findFallbackCycle, type LocaleConfig, nearestUiLanguage } from './locale-catalog.js';

const shipped = new Set(['en', 'es', 'ru', 'ar', 'he', 'ja']);
const row = (code: string, fallback: string[], extra: Partial<LocaleConfig> = {}): LocaleConfig => ({
  code,
  name: code,
  direction: 'ltr',
  fallback,
  enabled: true,
  position: 0,
  ...extra,
});

describe('nearestUiLanguage', () => {
  it('takes its own strings, else the first shipped one along the chain, else the base language, else English', () => {
    expect(nearestUiLanguage('ja', ['en'], shipped)).toBe('ja');
    expect(nearestUiLanguage('pt-BR', ['es', 'en'], shipped)).toBe('es');
    expect(nearestUiLanguage('fa', ['ar', 'en'], shipped)).toBe('ar');
    expect(nearestUiLanguage('es-419', [], shipped)).toBe('es');
    expect(nearestUiLanguage('fr', ['de'], shipped)).toBe('en');
  });
});

describe('findFallbackCycle', () => {
  it('finds a cycle across chains and names it', () => {
    expect(findFallbackCycle([row('en', []), row('ar', ['fa', 'en']), row('fa', ['ar'])])).toEqual(['ar', 'fa', 'ar']);
    expect(findFallbackCycle([row('en', []), row('pt-BR', ['es', 'en']), row('es', ['en'])])).toBeNull();
  });

  it('finds a cycle exactly when following fallbacks from some locale can come back to it', () => {
    const codes = ['a', 'b', 'c', 'd', 'e'];
    const graph = fc.array(fc.subarray(codes), { minLength: codes.length, maxLength: codes.length });
    fc.assert(
      fc.property(graph, (edges) => {
        const rows = codes.map((code, i) => row(code, edges[i] ?? []));
        const reaches = (from: string, to: string): boolean => {
          const seen = new Set<string>();
          const stack = [...(rows.find((r) => r.code === from)?.fallback ?? [])];
          while (stack.length > 0) {
            const next = stack.pop()!;
            if (next === to) return true;
            if (seen.has(next)) continue;
            seen.add(next);
            stack.push(...(rows.find((r) => r.code === next)?.fallback ?? []));
          }
          return false;
        };
        const cycle = findFallbackCycle(rows);
        expect(cycle !== null).toBe(codes.some((code) => reaches(code, code)));
        // A reported cycle is real: each step is a configured fallback, and it ends where it starts.
        if (cycle) {
          expect(cycle[0]).toBe(cycle.at(-1));
          for (let i = 0; i + 1 < cycle.length; i++) {
            expect(rows.find((r) => r.code === cycle[i])?.fallback).toContain(cycle[i + 1]);
          }
        }
      }),
    );
  });
});

describe('createLocaleCatalog', () => {
  it('orders by position, serves the enabled ones and skips disabled locales in fallback chains', () => {
    const catalog = createLocaleCatalog(
      [
        row('en', [], { position: 0 }),
        row('es', ['en'], { position: 1, enabled: false }),
        row('pt-BR', ['es', 'en'], { position: 2 }),
        row('fa', ['ar', 'en'], { position: 3, direction: 'rtl' }),
      ],
      shipped,
    );
    expect(catalog.enabled.map((l) => l.code)).toEqual(['en', 'pt-BR', 'fa']);
    expect(catalog.fallbackChain('pt-BR')).toEqual(['en']);
    expect(catalog.uiLanguageOf('pt-BR')).toBe('es');
    expect(catalog.direction('fa')).toBe('rtl');
    expect(catalog.isEnabled('es')).toBe(false);
    expect(() => catalog.assertConfigured('es')).not.toThrow();
    expect(() => catalog.assertConfigured('de')).toThrow(/configured: en, es, pt-BR, fa/);
  });
});
