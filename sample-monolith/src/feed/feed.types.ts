export interface ImageMeta {
  url: string;
  width: number;
  height: number;
  mime: string;
}

export interface Post {
  id: number;
  authorId: number;
  caption: string;
  image: ImageMeta & { aspectRatio: number };
  likes: number;
  commentCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewPost {
  caption?: string;
  image: ImageMeta;
}

export interface Comment {
  id: number;
  postId: number;
  authorId: number;
  body: string;
  createdAt: string;
}

export interface FeedPage {
  items: Post[];
  /** Pass as `before` to get the next (older) page; null at the end. */
  nextBefore: number | null;
}
