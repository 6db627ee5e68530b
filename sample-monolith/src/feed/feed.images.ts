import type { FieldProblem } from '@shared/errors';
import type { ImageMeta } from './feed.types';

export const ALLOWED_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export const MAX_DIMENSION = 8192;
/** Panoramas beyond 4:1 (or 1:4) break the feed layout. */
export const MAX_ASPECT_RATIO = 4;

/** Image bytes live on the CDN; the feed only stores and checks the metadata the uploader reported. */
export function imageProblems(image: ImageMeta): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(ALLOWED_MIME_TYPES as readonly string[]).includes(image.mime)) problems.push({ field: 'image.mime', problem: `must be one of ${ALLOWED_MIME_TYPES.join(', ')}` });
  if (!/^https:\/\/[^\s]+$/.test(image.url)) problems.push({ field: 'image.url', problem: 'must be an https URL' });
  const ratio = aspectRatio(image);
  if (ratio > MAX_ASPECT_RATIO || ratio < 1 / MAX_ASPECT_RATIO) problems.push({ field: 'image', problem: `aspect ratio ${ratio.toFixed(2)} is outside 1:${MAX_ASPECT_RATIO}..${MAX_ASPECT_RATIO}:1` });
  return problems;
}

export function aspectRatio(image: Pick<ImageMeta, 'width' | 'height'>): number {
  return Math.round((image.width / image.height) * 1000) / 1000;
}
