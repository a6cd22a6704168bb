import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
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
  byUrl: Map<string, Asset>;
}

const CLIENT_ENTRY = fileURLToPath(new URL('./client/main.ts', import.meta.url));
const CSS_ENTRY = fileURLToPath(new URL('./styles/site.css', import.meta.url));

function hashed(name: string, ext: string, body: Buffer, contentType: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { url: `/assets/${name}.${hash}.${ext}`, contentType, body };
}

let built: Promise<SiteAssets> | undefined;

/** Bundles and minifies the client islands and the stylesheet once per process. */
export function buildSiteAssets(): Promise<SiteAssets> {
  built ??= (async () => {
    const [js, css] = await Promise.all([
      esbuild.build({
        entryPoints: [CLIENT_ENTRY],
        bundle: true,
        minify: true,
        format: 'esm',
        target: ['es2020'],
        write: false,
        legalComments: 'none',
      }),
      esbuild.build({ entryPoints: [CSS_ENTRY], bundle: true, minify: true, write: false, loader: { '.css': 'css' } }),
    ]);
    const jsAsset = hashed('site', 'js', Buffer.from(js.outputFiles[0]!.contents), 'text/javascript; charset=utf-8');
    const cssAsset = hashed('site', 'css', Buffer.from(css.outputFiles[0]!.contents), 'text/css; charset=utf-8');
    return { js: jsAsset, css: cssAsset, byUrl: new Map([jsAsset, cssAsset].map((a) => [a.url, a])) };
  })();
  return built;
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
  switch (locale) {
    case 'ar':
      return ['/assets/fonts/noto-sans-arabic/400.css', '/assets/fonts/noto-sans-arabic/700.css', ...latin];
    case 'he':
      return ['/assets/fonts/noto-sans-hebrew/400.css', '/assets/fonts/noto-sans-hebrew/700.css', ...latin];
    case 'ja':
      return ['/assets/fonts/noto-sans-jp/400.css', '/assets/fonts/noto-sans-jp/700.css', ...latin];
    default:
      return latin;
  }
}

export const FONT_PACKAGES = ['noto-sans', 'noto-sans-arabic', 'noto-sans-hebrew', 'noto-sans-jp'] as const;

/** The folder of an installed @fontsource package. */
export function fontPackageDir(name: (typeof FONT_PACKAGES)[number]): string {
  return path.dirname(require.resolve(`@fontsource/${name}/package.json`));
}
