import { isRuntimeScript } from '../package-scripts';

describe('which package.json scripts run the app', () => {
  test.each(['start', 'start:worker', 'dev', 'dev-api', 'serve', 'server', 'preview', 'collab:prod', 'api:dev', 'START:prod'])('%s runs the app', (name) =>
    expect(isRuntimeScript(name)).toBe(true),
  );

  test.each([
    'seed',
    'seed:setup',
    'migration:run',
    'copy:watch',
    'docs:export',
    // a dev part, but a tool run against the dev database or build (tianji's ch:migrate:dev, prisma's migrate dev)
    'ch:migrate:dev',
    'db:migrate:dev',
    'prisma:generate:dev',
    'seed:dev',
    'build:prod',
    'test:dev',
  ])('%s is a tool', (name) => expect(isRuntimeScript(name)).toBe(false));
});
