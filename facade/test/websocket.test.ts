import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { deadUrl, raw, startFacade, type Running } from './helpers';

/** An HTTP server whose websocket endpoint echoes messages prefixed with its name. */
async function wsUpstream(name: string) {
  const server = http.createServer((req, res) => res.end(name));
  const wss = new WebSocketServer({ server });
  const handshakes: http.IncomingHttpHeaders[] = [];
  wss.on('connection', (ws, req) => {
    handshakes.push(req.headers);
    ws.on('message', (m, isBinary) => ws.send(isBinary ? m : `${name}:${m.toString()}:${req.url}`, { binary: isBinary }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handshakes,
    close: () => new Promise<void>((r) => { for (const c of wss.clients) c.terminate(); wss.close(); server.close(() => r()); server.closeAllConnections(); }),
  };
}

function exchange(url: string, messages: (string | Buffer)[]): Promise<(string | Buffer)[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const got: (string | Buffer)[] = [];
    ws.on('open', () => messages.forEach((m) => ws.send(m)));
    ws.on('message', (m, isBinary) => {
      got.push(isBinary ? (m as Buffer) : m.toString());
      if (got.length === messages.length) ws.close();
    });
    ws.on('close', () => resolve(got));
    ws.on('error', reject);
  });
}

describe('websocket upgrades', () => {
  let legacy: Awaited<ReturnType<typeof wsUpstream>>, chat: Awaited<ReturnType<typeof wsUpstream>>, f: Running;
  beforeAll(async () => {
    legacy = await wsUpstream('legacy');
    chat = await wsUpstream('chat');
    f = await startFacade({
      legacy: legacy.url,
      services: { chat: chat.url, gone: await deadUrl() },
      routes: [
        { name: 'chat', match: { prefix: '/ws/chat' }, service: 'chat', weight: 100 },
        { name: 'gone', match: { prefix: '/ws/gone' }, service: 'gone', weight: 100 },
      ],
    });
  });
  afterAll(async () => {
    await f.close();
    await Promise.all([legacy.close(), chat.close()]);
  });

  it('tunnels to the side the routing decision picks, both ways, text and binary', async () => {
    const bin = Buffer.from([0, 1, 2, 250, 255]);
    expect(await exchange(`ws://127.0.0.1:${f.port}/ws/chat/room1?x=1`, ['hi', 'there', bin])).toEqual(['chat:hi:/ws/chat/room1?x=1', 'chat:there:/ws/chat/room1?x=1', bin]);
    expect(await exchange(`ws://127.0.0.1:${f.port}/live`, ['ping'])).toEqual(['legacy:ping:/live']);
    const h = chat.handshakes.at(-1)!;
    expect(h['x-forwarded-for']).toBe('127.0.0.1');
    expect(h['x-request-id']).toBeTruthy();
    expect(f.facade.stats().find((s) => s.name === 'chat')!.requests.service).toBe(1);
  });

  it('falls back to legacy when the service refuses the connection', async () => {
    expect(await exchange(`ws://127.0.0.1:${f.port}/ws/gone`, ['x'])).toEqual(['legacy:x:/ws/gone']);
    expect(f.facade.stats().find((s) => s.name === 'gone')!.fallbacks).toBe(1);
  });

  it('keeps a long exchange open (many messages)', async () => {
    const msgs = Array.from({ length: 200 }, (_, i) => `m${i}`);
    const got = await exchange(`ws://127.0.0.1:${f.port}/ws/chat`, msgs);
    expect(got).toEqual(msgs.map((m) => `chat:${m}:/ws/chat`));
  });
});

describe('websocket with no upstream', () => {
  it('answers 502 to the handshake when legacy is down', async () => {
    const f = await startFacade({ legacy: await deadUrl() });
    try {
      const err = await new Promise<Error>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${f.port}/live`);
        ws.on('error', resolve);
      });
      expect(err.message).toMatch(/502/);
    } finally {
      await f.close();
    }
  });
});

describe('refused upgrades', () => {
  it('relays a non-101 answer, then closes: the client cannot talk to the upstream past routing', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url!);
      res.end('plain');
    });
    server.on('upgrade', (req, socket) => {
      seen.push(`upgrade ${req.url}`);
      socket.write('HTTP/1.1 403 Forbidden\r\ncontent-length: 6\r\nconnection: keep-alive\r\n\r\nnope!!');
      socket.on('data', (d: Buffer) => seen.push(`raw ${d.toString().split('\r\n')[0]}`));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const f = await startFacade({ legacy: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    try {
      const reply = await raw(
        f.port,
        'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n' +
          'GET /../../secret HTTP/1.1\r\nHost: x\r\n\r\n',
      );
      expect(reply).toMatch(/^HTTP\/1\.1 403 Forbidden/);
      expect(reply.endsWith('nope!!')).toBe(true);
      expect(seen).toEqual(['upgrade /ws']);
    } finally {
      await f.close();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('close() with open tunnels', () => {
  it('ends open websocket tunnels and resolves', async () => {
    const up = await wsUpstream('legacy');
    const f = await startFacade({ legacy: up.url });
    const ws = new WebSocket(`ws://127.0.0.1:${f.port}/live`);
    await new Promise((r) => ws.on('open', r));
    const closedByFacade = new Promise((r) => ws.on('close', r));
    await f.close();
    await closedByFacade;
    expect(ws.readyState).toBe(WebSocket.CLOSED);
    await up.close();
  });
});
