import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { adminShellHtml } from './admin-shell.js';
import { buildAdminAssets } from './build-admin-assets.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The site's CSP with one addition: the style nonce of this page. Mantine renders a few <style> tags at run time
 * (AppShell's responsive widths, Grid); everything else ships in the hashed CSS file, and scripts stay 'self' only.
 */
function withStyleNonce(reply: FastifyReply, nonce: string): void {
  const current = reply.getHeader('content-security-policy');
  if (typeof current !== 'string') return;
  reply.header(
    'content-security-policy',
    current.replace(/(^|;)\s*style-src ([^;]*)/, (_m, lead: string, sources: string) => {
      return `${lead}style-src ${sources} 'nonce-${nonce}'`;
    }),
  );
}

/** Serves the admin single-page app: the HTML shell at /admin and /admin/*, and its hashed assets. */
export async function adminAppRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { file: string } }>('/admin/assets/:file', { schema: { hide: true } }, async (request, reply) => {
    const assets = await buildAdminAssets();
    const asset = assets.byUrl.get(`/admin/assets/${request.params.file}`);
    if (!asset) {
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such admin asset' } });
    }
    return reply.header('cache-control', IMMUTABLE).type(asset.contentType).send(asset.body);
  });

  const shell = async (_request: unknown, reply: FastifyReply) => {
    const assets = await buildAdminAssets();
    const nonce = randomBytes(16).toString('base64');
    withStyleNonce(reply, nonce);
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(adminShellHtml(assets, nonce));
  };
  app.get('/admin', { schema: { hide: true } }, shell);
  app.get('/admin/*', { schema: { hide: true } }, shell);
}
