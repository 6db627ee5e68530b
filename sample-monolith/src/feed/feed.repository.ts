import type { Db } from '@shared/db';
import type { Comment, NewPost, Post } from './feed.types';
import { aspectRatio } from './feed.images';

interface PostRow {
  id: number;
  author_id: number;
  caption: string;
  image_url: string;
  image_width: number;
  image_height: number;
  image_mime: string;
  likes: number;
  comment_count: number;
  created_at: string;
  updated_at: string;
}

const SELECT_POST = `SELECT p.*, (SELECT COUNT(*) FROM post_comments c WHERE c.post_id = p.id) AS comment_count FROM posts p`;

const toPost = (r: PostRow): Post => ({
  id: r.id,
  authorId: r.author_id,
  caption: r.caption,
  image: { url: r.image_url, width: r.image_width, height: r.image_height, mime: r.image_mime, aspectRatio: aspectRatio({ width: r.image_width, height: r.image_height }) },
  likes: r.likes,
  commentCount: r.comment_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function listPosts(db: Db, opts: { before?: number; authorId?: number; limit: number }): Post[] {
  const rows = db
    .prepare(`${SELECT_POST} WHERE (? IS NULL OR p.id < ?) AND (? IS NULL OR p.author_id = ?) ORDER BY p.id DESC LIMIT ?`)
    .all(opts.before ?? null, opts.before ?? null, opts.authorId ?? null, opts.authorId ?? null, opts.limit) as PostRow[];
  return rows.map(toPost);
}

export function findPost(db: Db, id: number): Post | undefined {
  const row = db.prepare(`${SELECT_POST} WHERE p.id = ?`).get(id) as PostRow | undefined;
  return row && toPost(row);
}

export function insertPost(db: Db, authorId: number, post: NewPost, now: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO posts (author_id, caption, image_url, image_width, image_height, image_mime, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(authorId, post.caption ?? '', post.image.url, post.image.width, post.image.height, post.image.mime, now, now).lastInsertRowid,
  );
}

export function updateCaption(db: Db, id: number, caption: string, now: string): void {
  db.prepare(`UPDATE posts SET caption = ?, updated_at = ? WHERE id = ?`).run(caption, now, id);
}

export function deletePost(db: Db, id: number): void {
  db.prepare(`DELETE FROM posts WHERE id = ?`).run(id);
}

/** Returns false when the user had already liked the post. */
export function addLike(db: Db, postId: number, userId: number, now: string): boolean {
  const inserted = db.prepare(`INSERT OR IGNORE INTO post_likes (post_id, user_id, created_at) VALUES (?, ?, ?)`).run(postId, userId, now).changes > 0;
  if (inserted) db.prepare(`UPDATE posts SET likes = likes + 1 WHERE id = ?`).run(postId);
  return inserted;
}

export function removeLike(db: Db, postId: number, userId: number): boolean {
  const removed = db.prepare(`DELETE FROM post_likes WHERE post_id = ? AND user_id = ?`).run(postId, userId).changes > 0;
  if (removed) db.prepare(`UPDATE posts SET likes = likes - 1 WHERE id = ?`).run(postId);
  return removed;
}

export function listComments(db: Db, postId: number, limit: number): Comment[] {
  return db
    .prepare(`SELECT id, post_id AS postId, author_id AS authorId, body, created_at AS createdAt FROM post_comments WHERE post_id = ? ORDER BY id LIMIT ?`)
    .all(postId, limit) as Comment[];
}

export function insertComment(db: Db, postId: number, authorId: number, body: string, now: string): Comment {
  const id = Number(db.prepare(`INSERT INTO post_comments (post_id, author_id, body, created_at) VALUES (?, ?, ?, ?)`).run(postId, authorId, body, now).lastInsertRowid);
  return { id, postId, authorId, body, createdAt: now };
}
