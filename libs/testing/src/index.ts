export * from './test-database';
export * from './test-topics';
export * from './topic-reader';
export * from './child-process';
export * from './sample-events';
export * from './eventually';
export * from './service-app';
