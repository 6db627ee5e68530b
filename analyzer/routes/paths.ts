/** Stands for a path part that is not statically known (a variable, a regular expression). */
export const DYNAMIC = '<dynamic>';

/**
 * Joins route path parts with single slashes: always a leading `/`, no trailing slash except for
 * the root. `joinPaths('/api/', 'orders', ':id')` is `/api/orders/:id`.
 */
export function joinPaths(...parts: string[]): string {
  const segments: string[] = [];
  for (const part of parts) for (const seg of part.split('/')) if (seg !== '') segments.push(seg);
  return `/${segments.join('/')}`;
}
