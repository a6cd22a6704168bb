/**
 * Where a worker thread's code comes from: the compiled .js beside the caller, or the .ts source through tsx. Shared
 * by the training worker and the theme-discovery worker.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ClassifyError } from './classify-error.js';

/** The URL to start `name` (a file beside `ownUrl`, without extension) as a worker, under tsx or compiled. */
export function workerScript(name: string, ownUrl: string): URL {
  if (!ownUrl.endsWith('.ts')) return new URL(`./${name}.js`, ownUrl);
  // Under tsx (development, tests) the worker is TypeScript too. A worker does not inherit the parent's loader, and
  // on Node 20 `execArgv: ['--import', 'tsx']` does not reach a worker's module loading, so a tiny ES-module
  // bootstrap loads the worker through tsx's documented tsImport API instead.
  const require = createRequire(ownUrl);
  const manifest = require('tsx/package.json') as { exports: Record<string, { import?: { default?: string } }> };
  const apiPath = manifest.exports['./esm/api']?.import?.default;
  if (!apiPath) throw new ClassifyError('WORKER', `Cannot locate the tsx ES module API to start the ${name} worker.`);
  const api = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), apiPath)).href;
  const worker = new URL(`./${name}.ts`, ownUrl).href;
  const bootstrap = `import { tsImport } from ${JSON.stringify(api)};\nawait tsImport(${JSON.stringify(worker)}, ${JSON.stringify(ownUrl)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}
