import { startApp, type TestApp } from './helpers';

let t: TestApp;
let alice: string;
let bob: string;
let admin: string;
beforeAll(async () => {
  t = await startApp();
  [alice, bob, admin] = await Promise.all([t.login('alice@shop.test'), t.login('bob@shop.test'), t.login('admin@shop.test')]);
});
afterAll(() => t.close());

const image = { url: 'https://cdn.shop.test/feed/cup.jpg', width: 1200, height: 800, mime: 'image/jpeg' };

describe('feed', () => {
  it('pages the seeded posts newest first with image metadata', async () => {
    const r = await t.request('GET', '/api/feed?limit=2');
    expect(r.status).toBe(200);
    expect(r.body.items.map((p: any) => p.caption)).toEqual(['Roastery visit', 'Latte art attempt #12']);
    expect(r.body.items[0].image).toEqual({ url: 'https://cdn.shop.test/feed/roastery.webp', width: 1600, height: 900, mime: 'image/webp', aspectRatio: 1.778 });
    const next = await t.request('GET', `/api/feed?limit=2&before=${r.body.nextBefore}`);
    expect(next.body).toMatchObject({ items: [{ caption: 'Morning pour-over with the new Yirgacheffe' }], nextBefore: null });
    const byAuthor = await t.request('GET', '/api/feed?authorId=3');
    expect(byAuthor.body.items).toHaveLength(1);
    expect((await t.request('GET', '/api/feed?limit=0')).status).toBe(400);
  });

  it('creates a post with image metadata and rejects bad images', async () => {
    expect((await t.request('POST', '/api/feed/posts', { body: { image } })).status).toBe(401);
    const created = await t.request('POST', '/api/feed/posts', { body: { caption: 'New cup', image }, token: alice });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ caption: 'New cup', authorId: 2, likes: 0, commentCount: 0, image: { ...image, aspectRatio: 1.5 } });
    const got = await t.request('GET', `/api/feed/posts/${created.body.id}`);
    expect(got.body.id).toBe(created.body.id);

    const badMime = await t.request('POST', '/api/feed/posts', { body: { image: { ...image, mime: 'image/tiff', url: 'http://x.test/a' } }, token: alice });
    expect(badMime.status).toBe(400);
    expect(badMime.body.error.details).toEqual([
      { field: 'image.mime', problem: 'must be one of image/jpeg, image/png, image/webp, image/gif' },
      { field: 'image.url', problem: 'must be an https URL' },
    ]);
    const panorama = await t.request('POST', '/api/feed/posts', { body: { image: { ...image, width: 5000, height: 1000 } }, token: alice });
    expect(panorama.status).toBe(400);
    expect(panorama.body.error.message).toMatch(/aspect ratio 5.00/);
    const missing = await t.request('POST', '/api/feed/posts', { body: { caption: 'no image' }, token: alice });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ field: 'image', problem: 'is required' }]);
    expect((await t.request('GET', '/api/feed/posts/999')).status).toBe(404);
  });

  it('edits and deletes only own posts (admins may moderate)', async () => {
    const post = (await t.request('POST', '/api/feed/posts', { body: { caption: 'typo', image }, token: alice })).body;
    expect((await t.request('PUT', `/api/feed/posts/${post.id}`, { body: { caption: 'mine now' }, token: bob })).status).toBe(403);
    const edited = await t.request('PUT', `/api/feed/posts/${post.id}`, { body: { caption: 'fixed' }, token: alice });
    expect(edited.status).toBe(200);
    expect(edited.body.caption).toBe('fixed');
    expect((await t.request('PUT', `/api/feed/posts/${post.id}`, { body: {}, token: alice })).status).toBe(400);
    expect((await t.request('DELETE', `/api/feed/posts/${post.id}`, { token: bob })).status).toBe(403);
    expect((await t.request('DELETE', `/api/feed/posts/${post.id}`, { token: admin })).status).toBe(204);
    expect((await t.request('GET', `/api/feed/posts/${post.id}`)).status).toBe(404);
  });

  it('counts likes once per user and unlikes', async () => {
    expect((await t.request('POST', '/api/feed/posts/1/like', { token: alice })).body).toEqual({ liked: true, likes: 1 });
    expect((await t.request('POST', '/api/feed/posts/1/like', { token: alice })).body).toEqual({ liked: true, likes: 1 });
    expect((await t.request('POST', '/api/feed/posts/1/like', { token: bob })).body).toEqual({ liked: true, likes: 2 });
    expect((await t.request('DELETE', '/api/feed/posts/1/like', { token: alice })).body).toEqual({ liked: false, likes: 1 });
    expect((await t.request('POST', '/api/feed/posts/999/like', { token: alice })).status).toBe(404);
    expect((await t.request('DELETE', '/api/feed/posts/1/like')).status).toBe(401);
  });

  it('adds and lists comments', async () => {
    const c = await t.request('POST', '/api/feed/posts/2/comments', { body: { body: 'Nice swan!' }, token: bob });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ postId: 2, authorId: 3, body: 'Nice swan!' });
    expect((await t.request('POST', '/api/feed/posts/2/comments', { body: { body: '' }, token: bob })).status).toBe(400);
    const list = await t.request('GET', '/api/feed/posts/2/comments');
    expect(list.body.items.map((x: any) => x.body)).toEqual(['Nice swan!']);
    expect((await t.request('GET', '/api/feed/posts/2')).body.commentCount).toBe(1);
    expect((await t.request('GET', '/api/feed/posts/999/comments')).status).toBe(404);
  });
});
