import type { Schema } from '@shared/validation';

export const registerSchema: Schema = {
  email: { type: 'email' },
  password: { type: 'string', min: 8, max: 200 },
  displayName: { type: 'string', min: 1, max: 80 },
};

export const loginSchema: Schema = {
  email: { type: 'email' },
  password: { type: 'string', min: 1 },
};

export const refreshSchema: Schema = {
  refreshToken: { type: 'string', min: 1 },
};
