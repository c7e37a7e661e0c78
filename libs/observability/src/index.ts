export * from './correlation';
export * from './metrics';
