/** The `auth` section of arena.config.json (imported by server/config.ts). */
import { z } from 'zod';

export const AUTH_MODES = ['public', 'accounts'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const authConfigSchema = z.strictObject({
  /**
   * `public` (default): anyone may battle and vote under a per-browser id; accounts exist for
   * admins and team evaluations. `accounts`: signed-out visitors see the leaderboard only.
   */
  mode: z.enum(AUTH_MODES).default('public'),
  sessionTtlHours: z
    .number()
    .positive()
    .max(24 * 365)
    .default(24 * 14),
  /** Origins besides the server's own that may open sockets and send state-changing requests. */
  allowedOrigins: z.array(z.url()).max(100).default([]),
  /**
   * Proxies in front of the arena (by peer address). Only from these are `X-Forwarded-For` and
   * `X-Forwarded-Proto` believed, and, when `header` is set, the signed-in user's email taken.
   */
  trustedProxy: z
    .strictObject({
      addresses: z.array(z.string().min(1).max(64)).min(1).max(100),
      header: z
        .string()
        .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
        .optional(),
      /** Role for an email the proxy vouches for that has no account yet; unknown emails are refused when unset. */
      defaultRole: z.enum(['member', 'viewer']).optional(),
    })
    .optional(),
  /**
   * Failed sign-ins allowed per window: per email from one address (with growing delays from the
   * third), per address across emails, and per email across addresses (then only browsers its
   * owner signed in from before still get in). See docs/SECURITY.md.
   */
  loginRateLimit: z
    .strictObject({
      maxFailures: z.number().int().positive().max(1000).default(10),
      maxFailuresPerAddress: z.number().int().positive().max(100_000).default(30),
      maxFailuresPerAccount: z.number().int().positive().max(100_000).default(50),
      windowMinutes: z
        .number()
        .positive()
        .max(24 * 60)
        .default(15),
    })
    .prefault({}),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;

/** ARENA_AUTH_MODE, when set, overrides the file's `auth.mode`. */
export function authModeFromEnv(raw: string | undefined, fallback: AuthMode): AuthMode {
  if (raw === undefined || raw === '') return fallback;
  if ((AUTH_MODES as readonly string[]).includes(raw)) return raw as AuthMode;
  throw new Error(`environment: ARENA_AUTH_MODE: must be "public" or "accounts", got "${raw}"`);
}
