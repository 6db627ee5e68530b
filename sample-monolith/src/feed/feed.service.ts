import type { Db } from '@shared/db';
import { ForbiddenError, NotFoundError, ValidationError } from '@shared/errors';
import { nowIso } from '@shared/utils';
import type { AuthUser } from '../auth/auth.types';
import type { Comment, FeedPage, NewPost, Post } from './feed.types';
import { imageProblems } from './feed.images';
import * as repo from './feed.repository';

export function feedPage(db: Db, opts: { before?: number; authorId?: number; limit: number }): FeedPage {
  const items = repo.listPosts(db, opts);
  return { items, nextBefore: items.length === opts.limit ? items[items.length - 1].id : null };
}

export function getPost(db: Db, id: number): Post {
  const post = repo.findPost(db, id);
  if (!post) throw new NotFoundError('Post', id);
  return post;
}

export function createPost(db: Db, user: AuthUser, input: NewPost): Post {
  const problems = imageProblems(input.image);
  if (problems.length) throw new ValidationError(`Invalid image: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, problems);
  return getPost(db, repo.insertPost(db, user.id, input, nowIso()));
}

function ownPost(db: Db, user: AuthUser, id: number): Post {
  const post = getPost(db, id);
  if (post.authorId !== user.id && user.role !== 'admin') throw new ForbiddenError('Only the author or an admin can change this post');
  return post;
}

export function editCaption(db: Db, user: AuthUser, id: number, caption: string): Post {
  ownPost(db, user, id);
  repo.updateCaption(db, id, caption, nowIso());
  return getPost(db, id);
}

export function deletePost(db: Db, user: AuthUser, id: number): void {
  ownPost(db, user, id);
  repo.deletePost(db, id);
}

export function like(db: Db, user: AuthUser, id: number): { liked: boolean; likes: number } {
  getPost(db, id);
  repo.addLike(db, id, user.id, nowIso());
  return { liked: true, likes: getPost(db, id).likes };
}

export function unlike(db: Db, user: AuthUser, id: number): { liked: boolean; likes: number } {
  getPost(db, id);
  repo.removeLike(db, id, user.id);
  return { liked: false, likes: getPost(db, id).likes };
}

export function comments(db: Db, postId: number, limit: number): Comment[] {
  getPost(db, postId);
  return repo.listComments(db, postId, limit);
}

export function addComment(db: Db, user: AuthUser, postId: number, body: string): Comment {
  getPost(db, postId);
  return repo.insertComment(db, postId, user.id, body, nowIso());
}
