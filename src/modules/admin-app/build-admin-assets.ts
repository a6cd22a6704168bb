import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/** One built file of the admin app, served under a content hash with a one-year immutable cache. */
export interface AdminAsset {
  url: string;
  contentType: string;
  body: Buffer;
}

export interface AdminAssets {
  js: AdminAsset;
  css: AdminAsset;
  /** The UI strings of each admin language (every namespace in one file), fetched once the language is known. */
  messages: Record<string, AdminAsset>;
  byUrl: Map<string, AdminAsset>;
}

const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));
const ENTRY = path.join(WEB_DIR, 'src/main.tsx');
const LOCALES_DIR = path.join(WEB_DIR, 'src/locales');
const TSCONFIG = path.join(WEB_DIR, 'tsconfig.json');

function hashed(name: string, ext: string, body: Buffer, contentType: string): AdminAsset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { url: `/admin/assets/${name}.${hash}.${ext}`, contentType, body };
}

/** Every web/src/locales/<lng>/<ns>.json merged into {ns: strings} per language. */
function readMessages(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const lng of fs.readdirSync(LOCALES_DIR)) {
    const dir = path.join(LOCALES_DIR, lng);
    if (!fs.statSync(dir).isDirectory()) continue;
    const namespaces: Record<string, unknown> = {};
    for (const file of fs.readdirSync(dir).sort()) {
      if (!file.endsWith('.json')) continue;
      namespaces[file.slice(0, -'.json'.length)] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    }
    out[lng] = namespaces;
  }
  return out;
}

let built: Promise<AdminAssets> | undefined;

/**
 * Bundles web/src/main.tsx (React, Mantine, our CSS) with esbuild, minified, once per process and only when /admin
 * is first asked for: the public site never pays for it, and nothing built is ever committed.
 */
export function buildAdminAssets(): Promise<AdminAssets> {
  built ??= (async () => {
    const result = await esbuild.build({
      entryPoints: { admin: ENTRY },
      bundle: true,
      minify: true,
      format: 'esm',
      target: ['es2022'],
      write: false,
      outdir: 'out',
      legalComments: 'none',
      tsconfig: TSCONFIG,
      jsx: 'automatic',
      jsxImportSource: 'react',
      define: { 'process.env.NODE_ENV': '"production"' },
      loader: { '.css': 'css' },
    });
    const file = (ext: string) => {
      const found = result.outputFiles.find((f) => f.path.endsWith(ext));
      if (!found) throw new Error(`the admin build produced no ${ext} file`);
      return Buffer.from(found.contents);
    };
    const js = hashed('admin', 'js', file('.js'), 'text/javascript; charset=utf-8');
    const css = hashed('admin', 'css', file('.css'), 'text/css; charset=utf-8');
    const messages: Record<string, AdminAsset> = {};
    for (const [lng, namespaces] of Object.entries(readMessages())) {
      messages[lng] = hashed(`messages-${lng}`, 'json', Buffer.from(JSON.stringify(namespaces)), 'application/json');
    }
    return { js, css, messages, byUrl: new Map([js, css, ...Object.values(messages)].map((a) => [a.url, a])) };
  })();
  // A failed build is retried on the next request rather than cached forever.
  built.catch(() => {
    built = undefined;
  });
  return built;
}
