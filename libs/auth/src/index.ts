export * from './principal';
export * from './token';
export * from './decorators';
export * from './auth.guard';
export * from './unit-access';
export * from './region-access';
export * from './ingest-signature';
export * from './ingest-key';
