export * from './password';
export * from './jwt';
