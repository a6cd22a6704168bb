/**
 * `npm run bench`: runs every benchmark in bench/ one after another (they share two cores, so never in
 * parallel) and prints each one's summary line at the end. `npm run bench -- site search` runs a subset.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const selected = wanted.length > 0 ? wanted : available;
const unknown = selected.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}

const summaries: string[] = [];
for (const name of selected) {
  console.log(`\n=== bench/${name}.ts ===`);
  const mod = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as { main?: () => Promise<unknown> };
  if (typeof mod.main !== 'function') {
    console.error(`bench/${name}.ts exports no main()`);
    process.exitCode = 1;
    continue;
  }
  const result = await mod.main();
  if (typeof result === 'string') summaries.push(result);
}
console.log('\n=== summary ===');
for (const line of summaries) console.log(line);
