/**
 * The milestone lifecycle (里程碑: baseline, forecast, reschedule, completion, cancellation)
 * shared by every service that emits the one milestone shape: projects, parks' campaign
 * tasks, transport gates and evaluation's honour deadlines. The rules are plain TypeScript (no framework);
 * change-requests/ is their one TypeORM and HTTP adapter, shared by those services.
 */
export * from './milestone';
export * from './command';
export * from './change-request';
export * from './change-policy';
export * from './change-flow';
export * from './change-requests';
