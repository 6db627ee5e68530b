export * from './catalog.router';
export * from './catalog.service';
export type { Product, Category, ProductQuery } from './catalog.types';
