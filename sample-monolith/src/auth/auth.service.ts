import type { AppContext } from '@shared/http';
import { ConflictError, UnauthorizedError } from '@shared/errors';
import { hashPassword, verifyPassword, signAccessToken } from '@shared/security';
import { addSeconds, isPast, nowIso, randomToken, sha256 } from '@shared/utils';
import type { LoginInput, RegisterInput, Role, TokenPair } from './auth.types';
import * as repo from './auth.repository';
import { createUser, findUserByEmail } from '../users/users.service';

function issueTokens(ctx: AppContext, userId: number, role: Role, userAgent: string | null): TokenPair {
  const sessionId = randomToken(12);
  const refreshToken = randomToken(32);
  const createdAt = nowIso();
  repo.insertSession(ctx.db, {
    id: sessionId,
    userId,
    refreshTokenHash: sha256(refreshToken),
    userAgent,
    createdAt,
    expiresAt: addSeconds(createdAt, ctx.config.refreshTokenTtlSeconds),
  });
  const accessToken = signAccessToken({ sub: String(userId), role, sid: sessionId }, ctx.config.jwtSecret, ctx.config.accessTokenTtlSeconds);
  return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: ctx.config.accessTokenTtlSeconds };
}

export async function register(ctx: AppContext, input: RegisterInput, userAgent: string | null) {
  if (findUserByEmail(ctx.db, input.email)) throw new ConflictError(`An account with email ${input.email} already exists`);
  const passwordHash = await hashPassword(input.password);
  const user = createUser(ctx.db, { email: input.email, passwordHash, displayName: input.displayName, role: 'customer' });
  return { user, tokens: issueTokens(ctx, user.id, user.role, userAgent) };
}

export async function login(ctx: AppContext, input: LoginInput, userAgent: string | null): Promise<TokenPair> {
  const creds = repo.findCredentialsByEmail(ctx.db, input.email);
  // Same message for unknown email and wrong password, so accounts cannot be enumerated.
  if (!creds || !(await verifyPassword(input.password, creds.password_hash))) throw new UnauthorizedError('Wrong email or password');
  return issueTokens(ctx, creds.id, creds.role, userAgent);
}

export function refresh(ctx: AppContext, refreshToken: string): TokenPair {
  const session = repo.findSessionByRefreshHash(ctx.db, sha256(refreshToken));
  if (!session || session.revoked_at || isPast(session.expires_at)) throw new UnauthorizedError('Refresh token is invalid or expired');
  const active = repo.findActiveSession(ctx.db, session.id);
  if (!active) throw new UnauthorizedError('Refresh token is invalid or expired');
  const next = randomToken(32);
  repo.rotateRefreshToken(ctx.db, session.id, sha256(next), addSeconds(nowIso(), ctx.config.refreshTokenTtlSeconds));
  const accessToken = signAccessToken({ sub: String(active.user_id), role: active.role, sid: session.id }, ctx.config.jwtSecret, ctx.config.accessTokenTtlSeconds);
  return { accessToken, refreshToken: next, tokenType: 'Bearer', expiresIn: ctx.config.accessTokenTtlSeconds };
}

export function logout(ctx: AppContext, sessionId: string): void {
  repo.revokeSession(ctx.db, sessionId, nowIso());
}
