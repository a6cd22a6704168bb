import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { can, PERMISSIONS, type Permission, ROLES } from '../../shared/permissions.js';
import { routesTable } from './roles-doc.js';

const DOC = new URL('../../../docs/ROLES.md', import.meta.url);

describe('docs/ROLES.md', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists every operator route under the permission the server requires for it', () => {
    const text = fs.readFileSync(DOC, 'utf8');
    const table = /<!-- roles-routes:start -->\n([\s\S]*?)\n<!-- roles-routes:end -->/.exec(text)?.[1];
    expect(table, 'the routes markers are missing').toBeDefined();
    // To update the doc, paste the table this prints.
    expect(table).toBe(routesTable(t.operatorRoutes));
  });

  it('has the role × permission matrix of src/shared/permissions.ts', () => {
    const text = fs.readFileSync(DOC, 'utf8');
    const table = /<!-- roles-matrix:start -->\n([\s\S]*?)\n<!-- roles-matrix:end -->/.exec(text)?.[1];
    expect(table, 'the matrix markers are missing').toBeDefined();
    const rows = (table as string).split('\n').map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
    const [header, , ...body] = rows;
    expect(header).toEqual(['permission', ...ROLES]);
    const documented = body.map((cells) => cells[0]?.replace(/`/g, ''));
    expect(documented).toEqual(Object.keys(PERMISSIONS));
    for (const cells of body) {
      const permission = cells[0]?.replace(/`/g, '') as Permission;
      ROLES.forEach((role, i) => {
        const mark = cells[i + 1];
        expect(mark, `${role} × ${permission}`).toBe(can(role, permission) ? '✓' : '·');
      });
    }
  });
});
