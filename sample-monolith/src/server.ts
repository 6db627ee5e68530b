import { loadConfig } from '@shared/config';
import { createLogger } from '@shared/logger';
import { openDatabase } from '@shared/db';
import { createApp } from './app';
import { seedDatabase } from './seed';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { service: 'sample-monolith' });
  const db = openDatabase(config.databasePath);
  const seeded = await seedDatabase(db);
  if (seeded) logger.info('seeded database', { path: config.databasePath });
  const app = createApp({ db, config, logger });
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info('listening', { port, host: config.host, database: config.databasePath });
  });
  const shutdown = (signal: string) => {
    logger.info('shutting down', { signal });
    server.close(() => {
      db.close();
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'failed to start', err: String(err instanceof Error ? err.stack : err) })}\n`);
  process.exit(1);
});
