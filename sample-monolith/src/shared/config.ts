import path from 'node:path';

/** Everything the app reads from the environment, parsed once at start-up (12-factor). */
export interface AppConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  databasePath: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  logLevel: LogLevelName;
  mailFrom: string;
  taxRatePercent: number;
  freeShippingThresholdCents: number;
  shippingFlatCents: number;
}

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LOG_LEVELS: readonly LogLevelName[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** The default database lives next to the package so `npm run monolith` works from any cwd. */
export const DEFAULT_DATABASE_PATH = path.resolve(__dirname, '../../data/shop.db');

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid environment variable ${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(name, `expected an integer >= ${min}, got "${raw}"`);
  return value;
}

/**
 * A relative DATABASE_PATH means relative to where the user ran the command: npm runs a workspace's scripts
 * inside the workspace folder, and tells where it was started in INIT_CWD.
 */
function databasePathFrom(env: NodeJS.ProcessEnv): string {
  const raw = env.DATABASE_PATH;
  if (raw === undefined || raw === '') return DEFAULT_DATABASE_PATH;
  if (raw === ':memory:' || path.isAbsolute(raw)) return raw;
  return path.resolve(env.INIT_CWD && env.INIT_CWD !== '' ? env.INIT_CWD : process.cwd(), raw);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV === 'production' || env.NODE_ENV === 'test' ? env.NODE_ENV : 'development';
  const logLevel = (env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info')) as LogLevelName;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const jwtSecret = env.JWT_SECRET ?? (nodeEnv === 'production' ? '' : 'dev-only-secret-change-me');
  if (!jwtSecret) throw new ConfigError('JWT_SECRET', 'required in production');
  return {
    env: nodeEnv,
    port: intFrom(env, 'PORT', 3000),
    // loopback unless told otherwise: a dev server should not be reachable from the network by default (the Dockerfile sets HOST=0.0.0.0)
    host: env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1',
    databasePath: databasePathFrom(env),
    jwtSecret,
    accessTokenTtlSeconds: intFrom(env, 'ACCESS_TOKEN_TTL_SECONDS', 15 * 60, 1),
    refreshTokenTtlSeconds: intFrom(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 24 * 3600, 1),
    logLevel,
    mailFrom: env.MAIL_FROM ?? 'Shop <no-reply@shop.test>',
    taxRatePercent: intFrom(env, 'TAX_RATE_PERCENT', 20),
    freeShippingThresholdCents: intFrom(env, 'FREE_SHIPPING_THRESHOLD_CENTS', 5000),
    shippingFlatCents: intFrom(env, 'SHIPPING_FLAT_CENTS', 499),
  };
}
