export * from './topics';
export * from './values';
export * from './validation';
export * from './errors';
export * from './event-types';
export * from './envelope';
export * from './milestone.events';
export * from './headers';
