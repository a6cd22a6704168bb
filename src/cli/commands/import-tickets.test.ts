import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/env.js';
import { registerImportTicketsCommand } from './import-tickets.js';
import { registerTaxonomyCommands } from './taxonomy.js';

const DEMO_TAXONOMY = fileURLToPath(new URL('../../../demo/feedback/taxonomy.json', import.meta.url));
// These commands write to the configured database: only on a throwaway embedded one.
const embedded = !loadConfig().databaseUrl;

async function run(args: string[]): Promise<{ out: string; error: Error | null }> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  registerImportTicketsCommand(program);
  registerTaxonomyCommands(program);
  const lines: string[] = [];
  const capture = (...parts: unknown[]) => {
    lines.push(parts.join(' '));
  };
  const log = vi.spyOn(console, 'log').mockImplementation(capture);
  const err = vi.spyOn(console, 'error').mockImplementation(capture);
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['node', 'answerloop', ...args]);
    return { out: lines.join('\n'), error: null };
  } catch (error) {
    return { out: lines.join('\n'), error: error as Error };
  } finally {
    log.mockRestore();
    err.mockRestore();
    write.mockRestore();
  }
}

describe.runIf(embedded)('answerloop taxonomy and import tickets', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-import-'));
  const previous = process.env.ANSWERLOOP_DATA_DIR;
  beforeAll(() => {
    process.env.ANSWERLOOP_DATA_DIR = path.join(dir, 'data');
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.ANSWERLOOP_DATA_DIR;
    else process.env.ANSWERLOOP_DATA_DIR = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports, lists and exports the taxonomy; importing again updates by slug', async () => {
    const first = await run(['taxonomy', 'import', DEMO_TAXONOMY]);
    expect(first.error).toBeNull();
    expect(first.out).toContain('33 created, 0 updated');
    const list = await run(['taxonomy', 'list', '--locale', 'es']);
    expect(list.out).toMatch(/^billing {2}Facturación y suscripciones$/m);
    expect(list.out).toMatch(/^ {2}refund-request {2}Reembolsos$/m);
    const out = path.join(dir, 'taxonomy.json');
    await run(['taxonomy', 'export', '--out', out]);
    const exported = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(exported.categories).toHaveLength(33);
    const again = await run(['taxonomy', 'import', out]);
    expect(again.out).toContain('0 created, 33 updated');
    fs.writeFileSync(
      path.join(dir, 'bad.json'),
      '{"categories": [{"slug": "x", "parent": "nope", "names": {"en": "X"}}]}',
    );
    const bad = await run(['taxonomy', 'import', path.join(dir, 'bad.json')]);
    expect(bad.error?.message).toContain('parent category "nope" does not exist');
    const notJson = await run(['taxonomy', 'import', path.join(dir, 'taxonomy.csv')]);
    expect(notJson.error?.message).toContain('no such file');
  });

  it('imports tickets idempotently, with a column mapping and a dry run', async () => {
    const csv = path.join(dir, 'tickets.csv');
    fs.writeFileSync(
      csv,
      'Key,Summary,Details,Labels\n' +
        'T-1,Refund,I want my money back,refund-request\n' +
        'T-2,Locked out,Cannot log in since Monday,sign-in|two-factor\n' +
        'T-3,Hello,Just saying hi,\n',
    );
    const map = [
      '--map',
      'externalId=Key',
      '--map',
      'subject=Summary',
      '--map',
      'body=Details',
      '--map',
      'categories=Labels',
    ];
    const dry = await run(['import', 'tickets', csv, ...map, '--dry-run']);
    expect(dry.out).toContain('3 ticket(s) ready to import');
    const first = await run(['import', 'tickets', csv, ...map, '--channel', 'email']);
    expect(first.error).toBeNull();
    expect(first.out).toContain('3 new ticket(s), 0 already there');
    const second = await run(['import', 'tickets', csv, ...map]);
    expect(second.out).toContain('0 new ticket(s), 3 already there');
  });

  it('stops on a bad file before writing, naming each bad line', async () => {
    const csv = path.join(dir, 'bad.csv');
    fs.writeFileSync(csv, 'subject,status\nOk,open\nNope,escalated\nAlso bad,later\n');
    const res = await run(['import', 'tickets', csv]);
    expect(res.error?.message).toContain(`${csv} line 3: status`);
    expect(res.error?.message).toContain(`${csv} line 4: status`);
    const unknown = await run(['import', 'tickets', csv, '--map', 'title=subject']);
    expect(unknown.error?.message).toContain('unknown field(s) title');
    const categories = path.join(dir, 'categories.csv');
    fs.writeFileSync(categories, 'subject,categories\nHi,not-a-category\n');
    const cat = await run(['import', 'tickets', categories]);
    expect(cat.error?.message).toContain('line 2: categories: no category "not-a-category"');
  });
});
