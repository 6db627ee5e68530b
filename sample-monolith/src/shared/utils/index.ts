export * from './pagination';
export * from './money';
export * from './ids';
export * from './slug';
export * from './dates';
