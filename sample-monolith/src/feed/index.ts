export * from './feed.router';
