export * from './auth.router';
export * from './auth.middleware';
export type { AuthUser, Role, TokenPair } from './auth.types';
