import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../server/context.js';

/** Placeholder: filled by its part of issue 11. */
export function formsRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => {};
}
