import { infrastructureOf } from '../infrastructure';

describe('infrastructure routes', () => {
  test.each([
    ['/', 'root'],
    ['/api', 'root'],
    ['/api/v1', 'root'],
    ['/health', 'probe'],
    ['/healthz', 'probe'],
    ['/api/health/live', 'probe'],
    ['/readyz', 'probe'],
    ['/api/v1/ping', 'probe'],
    ['/api/version', 'probe'],
    ['/status', 'probe'],
    ['/metrics', 'metrics'],
    ['/internal/metrics', 'metrics'],
    ['/debug/pprof/heap', 'metrics'],
    ['/internal-backstage/prometheus', 'metrics'],
    ['/internal-backstage/heap-snapshot', 'metrics'],
    ['/admin/heapdump', 'metrics'],
    ['/{*splat}', 'catch-all'],
    ['*', 'catch-all'],
    ['/*', 'catch-all'],
    ['/:path(.*)', 'catch-all'],
    ['/api/*', 'catch-all'],
    ['/:slug', 'catch-all'],
    ['/robots.txt', 'static-file'],
    ['/api/assets/:lang/site.webmanifest', 'static-file'],
  ])('%s is %s', (path, kind) => expect(infrastructureOf({ path })?.kind).toBe(kind));

  test.each([
    // a domain's own routes that merely contain such words
    '/api/client/metrics',
    '/internal-backstage/impact/metrics',
    '/api/constructor/toString',
    '/api/users/:id/status',
    '/status/:jobId',
    '/api/orders',
    '/api/users/admin/*splat',
    // a literal start: CORS preflights for /api/streaming…, not everything
    '/api/streaming*',
    '/<dynamic>',
    '/<dynamic>/auth/login',
    '/.well-known/openid-configuration',
  ])('%s is a domain route', (path) => expect(infrastructureOf({ path })).toBeUndefined());

  test('the reason says what it is and, for a catch-all, how far it reaches', () => {
    expect(infrastructureOf({ path: '/api/*' })!.reason).toBe('a catch-all: it matches every path under /api that nothing else does');
    expect(infrastructureOf({ path: '/api' })!.reason).toBe("the API's root");
    expect(infrastructureOf({ path: '/metrics' })!.reason).toBe('a metrics endpoint for the monitoring system');
  });
});
