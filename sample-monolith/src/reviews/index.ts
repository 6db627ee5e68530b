export * from './reviews.router';
export { summaryFor } from './reviews.service';
