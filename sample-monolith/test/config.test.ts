import path from 'node:path';
import { DEFAULT_DATABASE_PATH, loadConfig } from '@shared/config';

describe('configuration from the environment', () => {
  it('listens on loopback unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('resolves a relative DATABASE_PATH against the directory the command was run in (npm passes it as INIT_CWD)', () => {
    expect(loadConfig({ DATABASE_PATH: 'sample-monolith/data/shop.db', INIT_CWD: '/home/me/strangler' }).databasePath).toBe('/home/me/strangler/sample-monolith/data/shop.db');
    expect(loadConfig({ DATABASE_PATH: 'shop.db' }).databasePath).toBe(path.resolve(process.cwd(), 'shop.db'));
    expect(loadConfig({ DATABASE_PATH: '/var/lib/shop.db', INIT_CWD: '/home/me' }).databasePath).toBe('/var/lib/shop.db');
    expect(loadConfig({ DATABASE_PATH: ':memory:', INIT_CWD: '/home/me' }).databasePath).toBe(':memory:');
    expect(loadConfig({ INIT_CWD: '/home/me' }).databasePath).toBe(DEFAULT_DATABASE_PATH);
  });
});
