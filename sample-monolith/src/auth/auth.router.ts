import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { validate } from '@shared/validation';
import type { LoginInput, RegisterInput } from './auth.types';
import { registerSchema, loginSchema, refreshSchema } from './auth.validation';
import { requireAuth, currentUser } from './auth.middleware';
import * as auth from './auth.service';
import { getUserById } from '../users/users.service';

export const authRouter = Router();

authRouter.post('/register', async (req, res) => {
  const input = validate<RegisterInput>(req.body, registerSchema);
  const { user, tokens } = await auth.register(ctxOf(req), input, req.get('user-agent') ?? null);
  res.status(201).json({ user, ...tokens });
});

authRouter.post('/login', async (req, res) => {
  const input = validate<LoginInput>(req.body, loginSchema);
  res.json(await auth.login(ctxOf(req), input, req.get('user-agent') ?? null));
});

authRouter.post('/refresh', (req, res) => {
  const { refreshToken } = validate<{ refreshToken: string }>(req.body, refreshSchema);
  res.json(auth.refresh(ctxOf(req), refreshToken));
});

authRouter.post('/logout', requireAuth, (req, res) => {
  auth.logout(ctxOf(req), currentUser(res).sessionId);
  res.status(204).end();
});

authRouter.get('/me', requireAuth, (req, res) => {
  const me = currentUser(res);
  res.json({ user: getUserById(ctxOf(req).db, me.id), sessionId: me.sessionId });
});
