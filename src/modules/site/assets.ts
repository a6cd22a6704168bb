import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { LOCALE_NAMES } from '../../shared/locales.js';
import type { RegionTheme } from '../content/index.js';

const require = createRequire(import.meta.url);

export interface Asset {
  /** URL path with a content hash, served with a one-year immutable cache. */
  url: string;
  contentType: string;
  body: Buffer;
}

export interface SiteAssets {
  css: Asset;
  /** Client islands bundle; every page loads it as a module (a few KB). */
  js: Asset;
  /** The site icon (SVG), also answered at /favicon.ico and /favicon.svg. */
  favicon: Asset;
  byUrl: Map<string, Asset>;
}

/** A "P" in a brand-red disc: drawn with paths, since an icon cannot load the page's fonts. */
const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="16" fill="#c8232c"/><path fill="#fff" fill-rule="evenodd" d="M11 7h6.5a5.5 5.5 0 0 1 0 11H14.5v7H11zm3.5 3.5v4h3a2 2 0 0 0 0-4z"/></svg>`;

const CLIENT_ENTRY = fileURLToPath(new URL('./client/main.ts', import.meta.url));
const CSS_ENTRY = fileURLToPath(new URL('./styles/site.css', import.meta.url));

function hashed(name: string, ext: string, body: Buffer, contentType: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { url: `/assets/${name}.${hash}.${ext}`, contentType, body };
}

let bundled: Promise<{ js: Uint8Array; chunks: { name: string; body: Uint8Array }[]; css: Uint8Array }> | undefined;
const built = new Map<string, Promise<SiteAssets>>();

/**
 * Bundles and minifies the client islands and the stylesheet once per process, with the language menu's font
 * faces for `languageNames` (the configured locales' names at boot, plus the built-in ones). A name added later in
 * Latin, Greek, Cyrillic or Devanagari letters is covered by Noto Sans, the page's own font; letters of other
 * scripts that no name at boot used fall back to the reader's system font until the next start.
 */
export function buildSiteAssets(languageNames: readonly string[] = []): Promise<SiteAssets> {
  const names = [...new Set([...Object.values(LOCALE_NAMES), ...languageNames])].sort();
  const key = names.join('\n');
  const known = built.get(key);
  if (known) return known;
  bundled ??= (async () => {
    const [js, css] = await Promise.all([
      // Split: an island only some pages need (the contact form's engine and messages, ~7 KB gzipped) is its own
      // chunk, imported by main.ts when the page has that island; chunk names carry their content hash.
      esbuild.build({
        entryPoints: [CLIENT_ENTRY],
        bundle: true,
        minify: true,
        format: 'esm',
        splitting: true,
        outdir: '/islands',
        entryNames: '[name]',
        chunkNames: 'island-[hash]',
        target: ['es2020'],
        write: false,
        legalComments: 'none',
      }),
      esbuild.build({ entryPoints: [CSS_ENTRY], bundle: true, minify: true, write: false, loader: { '.css': 'css' } }),
    ]);
    const main = js.outputFiles.find((file) => file.path.endsWith('/main.js'))!;
    const chunks = js.outputFiles
      .filter((file) => file !== main)
      .map((file) => ({ name: file.path.split('/').pop()!, body: file.contents }));
    return { js: main.contents, chunks, css: css.outputFiles[0]!.contents };
  })();
  const assets = (async () => {
    const { js, chunks, css } = await bundled;
    const jsAsset = hashed('site', 'js', Buffer.from(js), 'text/javascript; charset=utf-8');
    // Imported by the main script relative to its own URL, so they live beside it under /assets/.
    const chunkAssets: Asset[] = chunks.map((chunk) => ({
      url: `/assets/${chunk.name}`,
      contentType: 'text/javascript; charset=utf-8',
      body: Buffer.from(chunk.body),
    }));
    const cssBody = Buffer.concat([Buffer.from(css), Buffer.from(languageNameFontFaces(names))]);
    const cssAsset = hashed('site', 'css', cssBody, 'text/css; charset=utf-8');
    const favicon = hashed('favicon', 'svg', Buffer.from(FAVICON_SVG), 'image/svg+xml');
    return {
      js: jsAsset,
      css: cssAsset,
      favicon,
      byUrl: new Map([jsAsset, cssAsset, favicon, ...chunkAssets].map((a) => [a.url, a])),
    };
  })();
  built.set(key, assets);
  return assets;
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

/** The CSS custom properties of a region's theme; values are validated colours, never raw input. */
export function themeCss(theme: RegionTheme): string {
  const vars: string[] = [];
  const entries: [keyof RegionTheme, string][] = [
    ['brand', '--brand'],
    ['brandContrast', '--brand-contrast'],
    ['accent', '--accent'],
    ['surface', '--surface'],
  ];
  for (const [key, name] of entries) {
    const value = theme[key];
    if (value && COLOR.test(value)) vars.push(`${name}:${value}`);
  }
  return `:root{${vars.join(';')}}`;
}

/** Font stylesheets per locale, from self-hosted @fontsource packages: never a CDN. */
export function fontStylesheets(locale: string): string[] {
  const latin = ['/assets/fonts/noto-sans/400.css', '/assets/fonts/noto-sans/700.css'];
  // By the locale's likely script, so a configured fa or ur gets the Arabic fonts and yi the Hebrew ones.
  switch (likelyScript(locale)) {
    case 'Arab':
      return ['/assets/fonts/noto-sans-arabic/400.css', '/assets/fonts/noto-sans-arabic/700.css', ...latin];
    case 'Hebr':
      return ['/assets/fonts/noto-sans-hebrew/400.css', '/assets/fonts/noto-sans-hebrew/700.css', ...latin];
    case 'Jpan':
      return ['/assets/fonts/noto-sans-jp/400.css', '/assets/fonts/noto-sans-jp/700.css', ...latin];
    default:
      return latin;
  }
}

/** The script a locale is most likely written in (CLDR likely subtags): `fa` → `Arab`, `pt-BR` → `Latn`. */
function likelyScript(locale: string): string | undefined {
  try {
    return new Intl.Locale(locale).maximize().script;
  } catch {
    return undefined;
  }
}

export const FONT_PACKAGES = ['noto-sans', 'noto-sans-arabic', 'noto-sans-hebrew', 'noto-sans-jp'] as const;

/** The folder of an installed @fontsource package. */
export function fontPackageDir(name: (typeof FONT_PACKAGES)[number]): string {
  return path.dirname(require.resolve(`@fontsource/${name}/package.json`));
}

interface FontFace {
  pkg: (typeof FONT_PACKAGES)[number];
  file: string;
  ranges: [number, number][];
}

/** The 400-weight faces of an installed @fontsource package, each with its woff2 file and unicode-range. */
function fontFaces(pkg: (typeof FONT_PACKAGES)[number]): FontFace[] {
  const css = fs.readFileSync(path.join(fontPackageDir(pkg), '400.css'), 'utf8');
  const faces: FontFace[] = [];
  for (const block of css.match(/@font-face\s*{[^}]*}/g) ?? []) {
    const file = /url\(\.\/(files\/[\w.-]+\.woff2)\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;}]+)/.exec(block)?.[1];
    if (!file || !range) continue;
    const ranges = range.split(',').map((part): [number, number] => {
      const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
      return [Number.parseInt(from!, 16), Number.parseInt(to ?? from!, 16)];
    });
    faces.push({ pkg, file, ranges });
  }
  return faces;
}

const LANGUAGE_NAMES_FAMILY = 'Answerloop Language Names';

/**
 * @font-face rules for the letters of language names that the page's own fonts lack (日本語 on a Latin page,
 * עברית on an Arabic one). Each rule points at the @fontsource subset file holding those letters and is limited
 * by unicode-range to exactly them, so a browser fetches a subset only when such a name is on the page, and never
 * for other text. Letters Noto Sans (every page's font) has are left to it.
 */
export function languageNameFontFaces(names: readonly string[]): string {
  const covers = (face: FontFace, cp: number) => face.ranges.some(([from, to]) => cp >= from && cp <= to);
  const base = fontFaces('noto-sans');
  const missing = new Set(
    [...names.join('')].map((ch) => ch.codePointAt(0)!).filter((cp) => !base.some((face) => covers(face, cp))),
  );
  const rules: string[] = [];
  for (const pkg of FONT_PACKAGES) {
    if (pkg === 'noto-sans') continue;
    for (const face of fontFaces(pkg)) {
      const hits = [...missing].filter((cp) => covers(face, cp)).sort((a, b) => a - b);
      if (hits.length === 0) continue;
      for (const cp of hits) missing.delete(cp);
      const range = hits.map((cp) => `U+${cp.toString(16)}`).join(',');
      rules.push(
        `@font-face{font-family:"${LANGUAGE_NAMES_FAMILY}";font-style:normal;font-weight:400;font-display:swap;` +
          `src:url(/assets/fonts/${pkg}/${face.file}) format("woff2");unicode-range:${range}}`,
      );
    }
  }
  return rules.join('');
}
