export * from './reports.router';
