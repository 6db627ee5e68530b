export * from './users.router';
export * from './users.service';
export type { User, PublicProfile, Address } from './users.types';
