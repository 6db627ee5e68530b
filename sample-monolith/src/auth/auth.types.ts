export type Role = 'customer' | 'admin';

/** The caller, as requireAuth puts it on res.locals.user. */
export interface AuthUser {
  id: number;
  role: Role;
  sessionId: string;
}

export interface RegisterInput {
  email: string;
  password: string;
  displayName: string;
}

export interface LoginInput {
  email: string;
  password: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface SessionRow {
  id: string;
  user_id: number;
  expires_at: string;
  revoked_at: string | null;
}
