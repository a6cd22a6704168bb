import path from 'node:path';
import { z } from 'zod';

/** Every setting the process reads from its environment; the only reader of `process.env`. */
const ZEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ANSWERLOOP_DATA_DIR: z.string().min(1).default('./data'),
  ANSWERLOOP_ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters so it cannot be guessed')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Header set by a trusted proxy with the reader's ISO country code, e.g. CF-IPCountry. */
  ANSWERLOOP_COUNTRY_HEADER: z.string().min(1).default('cf-ipcountry'),
  /** Public base URL used in canonical and hreflang links; defaults to the request's host. */
  ANSWERLOOP_PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

export type Env = z.infer<typeof ZEnv>;

export interface AppConfig {
  port: number;
  host: string;
  /** Unset means the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  countryHeader: string;
  publicUrl: string | undefined;
  logLevel: Env['LOG_LEVEL'];
  nodeEnv: Env['NODE_ENV'];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment, listing every problem at once. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.ANSWERLOOP_DATA_DIR),
    adminToken: env.ANSWERLOOP_ADMIN_TOKEN,
    countryHeader: env.ANSWERLOOP_COUNTRY_HEADER.toLowerCase(),
    publicUrl: env.ANSWERLOOP_PUBLIC_URL?.replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL,
    nodeEnv: env.NODE_ENV,
  };
}
