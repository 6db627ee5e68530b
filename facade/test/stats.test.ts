import { RouteCounters, WINDOW_SLOTS } from '../proxy/stats';
import { request, startFacade, upstream } from './helpers';

describe('the recent share window', () => {
  it('counts the last WINDOW_SLOTS slots (one minute) and forgets what is older', () => {
    const c = new RouteCounters();
    const count = (total: number, service: number) => {
      c.recentTotal[c.slot] += total;
      c.recentService[c.slot] += service;
    };
    count(100, 0); // weight 0 for a while
    c.rotate();
    count(100, 50); // then weight 50
    expect(c.recent()).toEqual({ total: 200, service: 50 });
    for (let i = 0; i < WINDOW_SLOTS - 2; i++) c.rotate();
    expect(c.recent()).toEqual({ total: 200, service: 50 }); // 11 slots later the first slot is still in
    c.rotate();
    expect(c.recent()).toEqual({ total: 100, service: 50 }); // the weight-0 slot has left the window
    for (let i = 0; i < WINDOW_SLOTS; i++) c.rotate();
    expect(c.recent()).toEqual({ total: 0, service: 0 });
  });

  it('is reported next to the share since start', async () => {
    const legacy = await upstream('legacy');
    const svc = await upstream('svc');
    const f = await startFacade({ legacy: legacy.url, services: { svc: svc.url }, routes: [{ name: 'r', match: { prefix: '/' }, service: 'svc', weight: 100 }] });
    try {
      for (let i = 0; i < 4; i++) await request(f.port, `/x/${i}`);
      f.facade.apply({ ...f.facade.current(), routes: [{ ...f.facade.current().routes[0], weight: 0 }] });
      for (let i = 0; i < 4; i++) await request(f.port, `/y/${i}`);
      expect(f.facade.stats()[0]).toMatchObject({ serviceShare: 0.5, recent: { requests: 8, serviceShare: 0.5 }, instances: { healthy: 1, total: 1 }, ejections: 0 });
    } finally {
      await f.close();
      await Promise.all([legacy.close(), svc.close()]);
    }
  });
});
