export * from './inventory.router';
export * from './inventory.service';
