import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../server/context.js';

/** Placeholder: the public contact pages (chooser, form, confirmation), filled by its part of issue 11. */
export async function contactPages(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
