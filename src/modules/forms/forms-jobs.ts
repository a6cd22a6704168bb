import type { JobRunner } from '../../jobs/index.js';
import type { AppContext } from '../../server/context.js';

/** Placeholder: the help-desk forwarding job, filled by its part of issue 11. */
export function registerFormsJobs(_jobs: JobRunner, _ctx: Pick<AppContext, 'db' | 'config' | 'bus'>): void {}
