/**
 * Sticky bucketing: FNV-1a (32-bit) with murmur3's finalizer for avalanche, over
 * `routeName + '\0' + key`, into 10,000 buckets. Pure and stable, so every replica decides alike
 * with no shared state, and a user's bucket never changes when a weight does.
 */
export const BUCKETS = 10_000;

export function bucketOf(routeName: string, key: string): number {
  let h = 0x811c9dc5;
  h = fnv(h, routeName);
  h = Math.imul(h, 0x01000193); // the '\0' separator: xor with 0 is a no-op, the multiply is not
  h = fnv(h, key);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % BUCKETS;
}

function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** The request goes to the service iff its bucket is below `weight * 100`. */
export function toService(bucket: number, weight: number): boolean {
  return bucket < Math.round(weight * 100);
}
