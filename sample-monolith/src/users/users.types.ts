import type { Role } from '../auth/auth.types';

export interface UserRow {
  id: number;
  email: string;
  role: Role;
  display_name: string;
  bio: string;
  avatar_url: string | null;
  created_at: string;
}

export interface User {
  id: number;
  email: string;
  role: Role;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  createdAt: string;
}

export interface PublicProfile {
  id: number;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  memberSince: string;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  displayName: string;
  role: Role;
}

export interface ProfileUpdate {
  displayName?: string;
  bio?: string;
  avatarUrl?: string | null;
}

export interface Address {
  id: number;
  userId: number;
  line1: string;
  line2: string | null;
  city: string;
  postcode: string;
  country: string;
}

export type NewAddress = Omit<Address, 'id' | 'userId'>;
