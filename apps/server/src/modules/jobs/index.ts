/** Jobs (admin face): dead letters per tenant, and the kernel's own maintenance jobs. */
export { pruneJob } from './jobs.jobs.ts';
export { jobsRoutes } from './jobs.routes.ts';
