import path from 'node:path';

/** Everything the server reads from the environment or the command line, resolved once at start. */
export interface Config {
  /** PostgreSQL connection string; when absent the embedded database (PGlite) in `dataDir` is used. */
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  /** Demo mode: demo logins (password `demo`) are allowed and the UI shows a banner. */
  demo: boolean;
  /** Public origin, used in links (password reset) when known. */
  publicUrl: string | undefined;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** Force the Secure flag on cookies (otherwise it is set when the request came over HTTPS). */
  cookieSecure: boolean | undefined;
  loginRateLimitPerMinute: number;
  /** Start pg-boss workers and schedules. Off in most API tests. */
  jobs: boolean;
  /** Write request logs. */
  logLevel: string;
  bodyLimitBytes: number;
}

function intFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`Expected a positive number, got "${value}"`);
  return n;
}

/** Builds the configuration from environment variables, with command-line overrides taking precedence. */
export function loadConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const secure = env.CAIRN_COOKIE_SECURE;
  const base: Config = {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.CAIRN_DATA_DIR || './data'),
    host: env.CAIRN_HOST || '127.0.0.1',
    port: intFrom(env.CAIRN_PORT ?? env.PORT, 3000),
    demo: env.CAIRN_DEMO === '1' || env.CAIRN_DEMO === 'true',
    publicUrl: env.CAIRN_PUBLIC_URL || undefined,
    sessionIdleMinutes: intFrom(env.CAIRN_SESSION_IDLE_MINUTES, 120),
    sessionAbsoluteHours: intFrom(env.CAIRN_SESSION_ABSOLUTE_HOURS, 12),
    cookieSecure: secure === undefined ? undefined : secure === '1' || secure === 'true',
    loginRateLimitPerMinute: intFrom(env.CAIRN_LOGIN_RATE_LIMIT, 10),
    jobs: true,
    logLevel: env.CAIRN_LOG_LEVEL || 'info',
    bodyLimitBytes: intFrom(env.CAIRN_BODY_LIMIT_BYTES, 1024 * 1024),
  };
  const merged = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  }
  if (overrides.dataDir) merged.dataDir = path.resolve(overrides.dataDir);
  return merged;
}
