/** `strangler route …` run as a real process against a real admin API. */
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { loadConfigFile } from '../config-file';
import { ConfigController } from '../controller';
import { createAdminApp } from '../../admin/app';
import { listenAdmin, type AdminServer } from '../../admin/server';
import { RecordingFacade } from './support/recording-facade';
import { memoryLogger, SAMPLE_YAML, tempDir } from './support/files';
import { runCliAsync } from './support/spawn-cli';

const TOKEN = 'route-cli-token';
const WHERE =
  'the admin API listens on http://127.0.0.1:8081 unless admin.host/admin.port in routes.yaml (or --admin-host/--admin-port) say otherwise; point --admin at it';

describe('strangler route', () => {
  let t: ReturnType<typeof tempDir>;
  let file: string;
  let server: AdminServer;
  let admin: string;
  let facade: RecordingFacade;

  beforeAll(async () => {
    t = tempDir();
    file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, SAMPLE_YAML);
    const source = await loadConfigFile(file);
    facade = new RecordingFacade(source.config);
    const { logger } = memoryLogger();
    server = await listenAdmin(createAdminApp({ facade, controller: new ConfigController(facade, source, { logger }), token: TOKEN, logger }), '127.0.0.1', 0);
    admin = `http://127.0.0.1:${server.address.port}`;
  });
  afterAll(async () => {
    await server.close();
    t.cleanup();
  });

  it('lists routes as a table', async () => {
    const r = await runCliAsync(['route', 'list', '--admin', admin, '--token', TOKEN]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const head of ['route', 'service', 'weight', 'share 1 min / total', 'requests', 'error rate', 'fallbacks', 'breaker', 'healthy', 'ejections']) expect(r.stdout).toContain(head);
    expect(r.stdout).toMatch(/│ cart\s+│ cart\s+│ 10%\s+│ - \/ 0\.0%\s+│ 0\s+│ 0\.0%\s+│ 0\s+│ closed\s+│ 1\/1\s+│ 0\s+│/);
    expect(r.stdout).toMatch(/│ users\s+│ users\s+│ 0%/);
  });

  it('lists routes as JSON, taking the token from the environment', async () => {
    const r = await runCliAsync(['route', 'list', '--admin', admin, '--json'], { STRANGLER_ADMIN_TOKEN: TOKEN });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ name: string; weight: number }>).map((x) => [x.name, x.weight])).toEqual([
      ['cart', 10],
      ['users', 0],
    ]);
  });

  it('sets, promotes and rolls back, saving each change to the file', async () => {
    const set = await runCliAsync(['route', 'set', 'cart', '--weight', '40', '--admin', admin, '--token', TOKEN]);
    expect(set).toEqual({ code: 0, stdout: `route cart: weight 10 -> 40 (saved to ${file})\n`, stderr: '' });
    expect(readFileSync(file, 'utf8')).toContain('weight: 40    # canary: 10 %');

    const promote = await runCliAsync(['route', 'promote', 'cart', '--admin', admin, '--token', TOKEN]);
    expect(promote.stdout).toBe(`route cart: weight 40 -> 100 (saved to ${file})\n`);
    const back = await runCliAsync(['route', 'rollback', 'cart', '--previous', '--admin', admin, '--token', TOKEN]);
    expect(back.stdout).toBe(`route cart: weight 100 -> 40 (saved to ${file})\n`);
    const zero = await runCliAsync(['route', 'rollback', 'cart', '--admin', admin, '--token', TOKEN]);
    expect(zero.stdout).toBe(`route cart: weight 40 -> 0 (saved to ${file})\n`);
    expect((await loadConfigFile(file)).config.routes[0].weight).toBe(0);
  });

  it('exits 2 with the route names for an unknown route', async () => {
    const r = await runCliAsync(['route', 'promote', 'kart', '--admin', admin, '--token', TOKEN]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'unknown route "kart" (routes: cart, users)\n' });
  });

  it('exits 2 when the token is wrong or missing', async () => {
    expect(await runCliAsync(['route', 'list', '--admin', admin, '--token', 'nope'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'admin API refused the token (check --token or STRANGLER_ADMIN_TOKEN)\n',
    });
    const missing = await runCliAsync(['route', 'list', '--admin', admin]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('admin API requires a token: pass --token or set STRANGLER_ADMIN_TOKEN\n');
  });

  it('exits 2 when the admin API is unreachable', async () => {
    // a port that was just free: bind, note it, close
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(probe.address() as net.AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    const r = await runCliAsync(['route', 'list', '--admin', url, '--token', TOKEN]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cannot reach the admin API at ${url}: ECONNREFUSED (is \`strangler facade\` running? ${WHERE})\n`);
  });

  it('exits 2 saying which URL answered what when --admin points at something else (the proxy port, the app)', async () => {
    // What the facade's proxy port answers for /routes: the legacy app's own 404, JSON with an error object.
    const other = http.createServer((req, res) => {
      res.writeHead(req.url === '/routes' ? 404 : 200, { 'content-type': 'application/json' });
      res.end(req.url === '/routes' ? '{"error":{"code":"not_found","message":"no route for GET /routes"}}' : '{"ok":true}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(other.address() as net.AddressInfo).port}`;
    try {
      expect(await runCliAsync(['route', 'list', '--admin', url, '--token', TOKEN])).toEqual({
        code: 2,
        stdout: '',
        stderr: `GET ${url}/routes answered 404 "no route for GET /routes": not the strangler admin API? (${WHERE})\n`,
      });
      expect(await runCliAsync(['route', 'promote', 'cart', '--admin', url, '--token', TOKEN])).toEqual({
        code: 2,
        stdout: '',
        stderr: `POST ${url}/routes/cart/promote answered without a weight change: not the strangler admin API? (${WHERE})\n`,
      });
    } finally {
      other.close();
    }
  });

  it('exits 2 on a bad weight without calling the API', async () => {
    const r = await runCliAsync(['route', 'set', 'cart', '--weight', '150', '--admin', admin, '--token', TOKEN]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '--weight <n>' argument '150' is invalid. expected a number from 0 to 100");
  });
});
