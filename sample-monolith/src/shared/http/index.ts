export * from './context';
export * from './error-handler';
export * from './not-found';
export * from './request-logger';
