/**
 * The milestone lifecycle (里程碑: baseline, forecast, reschedule, completion, cancellation)
 * shared by every service that emits the one milestone shape: projects, parks' campaign
 * tasks, transport gates and evaluation's honour deadlines. Plain TypeScript, no framework.
 */
export * from './milestone';
export * from './command';
