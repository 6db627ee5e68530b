export * from './connection';
export * from './migrate';
export * from './transaction';
export type { Migration } from './migration.types';
