export * from './platform.module';
export * from './bootstrap';
export * from './service-options';
export * from './http/problem';
export * from './http/zod-body.pipe';
export * from './health/health.controller';
