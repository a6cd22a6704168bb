export { type EnqueueJobOptions, type EnqueueJobResult, enqueueJob } from './enqueue-job.js';
export { getJob, type JobView } from './get-job.js';
export { type JobContext, type JobHandler, JobRunner, type JobRunnerOptions } from './job-runner.js';
export type { JobStatus, JobsTables } from './jobs.tables.js';
