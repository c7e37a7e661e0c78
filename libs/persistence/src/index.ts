export * from './database-config';
export * from './data-source';
export * from './snake-naming.strategy';
export * from './transaction';
export * from './keyset-page';
export * from './milestone-columns';
export * from './transformers';
