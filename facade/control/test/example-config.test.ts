import path from 'node:path';
import { loadConfigFile } from '../config-file';

it('the shipped example config (examples/routes.yaml) is valid and fronts the sample monolith', async () => {
  const { config } = await loadConfigFile(path.resolve(__dirname, '..', '..', '..', 'examples', 'routes.yaml'));
  expect(config.legacy.urls).toEqual(['http://127.0.0.1:3000']);
  expect(config.routes.map((r) => r.name)).toEqual(['notifications', 'reviews']);
  expect(config.admin).toMatchObject({ host: '127.0.0.1', port: 8081 });
});
