import type { PublicProfile, User, UserRow } from './users.types';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    displayName: row.display_name,
    bio: row.bio,
    avatarUrl: row.avatar_url,
    createdAt: row.created_at,
  };
}

export function toPublicProfile(row: UserRow): PublicProfile {
  return { id: row.id, displayName: row.display_name, bio: row.bio, avatarUrl: row.avatar_url, memberSince: row.created_at.slice(0, 10) };
}
