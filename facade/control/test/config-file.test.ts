import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigFileError, loadConfigFile, parseConfigText } from '../config-file';
import { SAMPLE_YAML, tempDir } from './support/files';

function problems(file: string, text: string): string[] {
  try {
    parseConfigText(file, text);
  } catch (err) {
    if (err instanceof ConfigFileError) return err.problems;
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

describe('config file loading', () => {
  it('loads YAML and applies the schema defaults', () => {
    const { config, format } = parseConfigText('/x/routes.yaml', SAMPLE_YAML);
    expect(format).toBe('yaml');
    expect(config.routes.map((r) => [r.name, r.weight])).toEqual([
      ['cart', 10],
      ['users', 0],
    ]);
    expect(config.legacy).toEqual({ urls: ['http://127.0.0.1:3000'] });
    expect(config.admin.tokenEnv).toBe('STRANGLER_ADMIN_TOKEN');
  });

  it('accepts JSON by extension and by content', () => {
    const json = JSON.stringify({ legacy: 'http://127.0.0.1:3000', services: { s: 'http://127.0.0.1:4000' }, routes: [{ name: 'a', match: { prefix: '/a' }, service: 's', weight: 5 }] });
    expect(parseConfigText('/x/routes.json', json).format).toBe('json');
    expect(parseConfigText('/x/routes.conf', json).format).toBe('json');
    expect(parseConfigText('/x/routes.conf', json).config.routes[0].weight).toBe(5);
  });

  it('names file, line, path and expectation for a schema error', () => {
    const bad = SAMPLE_YAML.replace('weight: 10 ', 'weight: 150');
    expect(problems('/x/routes.yaml', bad)).toEqual(['routes.yaml:17: routes[0].weight: expected a number from 0 to 100, got 150']);
  });

  it('reports every problem, with unknown keys, bad URLs, wrong types and unknown services', () => {
    const bad = `legacy: ftp://old
listen: { port: "eighty" }
services: { cart: http://127.0.0.1:4001 }
routes:
  - name: cart
    match: { prefix: /cart }
    service: cart
    wieght: 20
`;
    expect(problems('/x/routes.yaml', bad)).toEqual([
      'routes.yaml:2: listen.port: expected an integer from 0 to 65535, got "eighty"',
      'routes.yaml:1: legacy: expected an http(s) URL, got "ftp://old"',
      'routes.yaml:8: routes[0].wieght: unknown key (allowed: name, match, service, weight, fallback, safeMethods, shadow, rollout)',
    ]);
    const unknownService = `legacy: http://127.0.0.1:3000
routes:
  - name: cart
    match: { prefix: /cart }
    service: kart
`;
    expect(problems('/x/routes.yaml', unknownService)).toEqual(['routes.yaml:5: routes[0].service: unknown service "kart" (services: none)']);
  });

  it('gives line and column for a YAML syntax error', () => {
    const [p] = problems('/x/routes.yaml', 'legacy: http://127.0.0.1:3000\nroutes:\n  - name: a\n    match: { prefix: /a\n');
    expect(p).toMatch(/^routes\.yaml:\d+:\d+: YAML syntax error: /);
  });

  it('rejects invalid JSON and empty files', () => {
    expect(problems('/x/routes.json', '{"legacy": "http://127.0.0.1:3000",}')[0]).toMatch(/^routes\.json(:\d+:\d+)?: JSON syntax error/);
    expect(problems('/x/routes.yaml', '')).toEqual(['routes.yaml: the file is empty; expected a config with at least `legacy`']);
  });

  it('says when the file cannot be read', async () => {
    const t = tempDir();
    try {
      await expect(loadConfigFile(path.join(t.dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: cannot read the config: no such file/);
      writeFileSync(path.join(t.dir, 'ok.yaml'), SAMPLE_YAML);
      await expect(loadConfigFile(path.join(t.dir, 'ok.yaml'))).resolves.toMatchObject({ text: SAMPLE_YAML });
    } finally {
      t.cleanup();
    }
  });
});
