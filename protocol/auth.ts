/**
 * HTTP contract for accounts: sign-in, invites, users, the audit log. Schemas validate on the
 * server; the client imports only the inferred types.
 */
import { z } from 'zod';

export const ROLE_NAMES = ['admin', 'member', 'viewer'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export { CSRF_HEADER } from './headers.ts';

const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('must be an email address'))
  .transform((s) => s.toLowerCase());
/** Only length is checked: long passphrases beat composition rules. */
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(200);

export const loginSchema = z.strictObject({ email, password: z.string().min(1).max(200) });
export const signupSchema = z.strictObject({ invite: z.string().min(16).max(128), email, password: passwordSchema });
export const inviteCreateSchema = z.strictObject({
  role: z.enum(ROLE_NAMES),
  /** 1 hour to 90 days. */
  expiresInHours: z
    .number()
    .min(1)
    .max(24 * 90)
    .default(72),
  email: email.optional(),
});
export const userUpdateSchema = z
  .strictObject({ role: z.enum(ROLE_NAMES).optional(), disabled: z.boolean().optional() })
  .refine((u) => u.role !== undefined || u.disabled !== undefined, 'give role or disabled');
export const idParamSchema = z.strictObject({ id: z.coerce.number().int().positive() });
export const auditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
});

export type LoginInput = z.input<typeof loginSchema>;
export type SignupInput = z.input<typeof signupSchema>;
export type InviteCreateInput = z.input<typeof inviteCreateSchema>;
export type UserUpdateInput = z.input<typeof userUpdateSchema>;
/** Query of GET /api/admin/audit: the newest `limit` entries (default 100), older than id `before`. */
export interface AuditQuery {
  limit?: number;
  before?: number;
}

/** The signed-in account, as GET /api/me and the sign-in routes answer it. */
export interface SessionUser {
  id: string;
  email: string;
  role: RoleName;
}

/** GET /api/me: who this browser is, without any secret. */
export interface Me {
  mode: 'public' | 'accounts';
  user: SessionUser | null;
  role: RoleName | 'anonymous' | 'guest';
  /** What a prompt may be, so the page can say so before the server refuses. */
  limits: PromptLimits;
}

export interface PromptLimits {
  maxPromptChars: number;
  maxTurns: number;
}

export interface UserView {
  id: number;
  email: string;
  role: RoleName;
  disabled: boolean;
  createdAt: string;
  /** False for users who only sign in through a trusted proxy. */
  hasPassword: boolean;
}

export interface InviteView {
  id: number;
  role: RoleName;
  email: string | null;
  createdAt: string;
  expiresAt: string;
  status: 'open' | 'used' | 'expired' | 'revoked';
  usedBy: string | null;
}

/** POST /api/admin/invites: the invite, its token (shown once) and the sign-up link's path. */
export interface NewInvite {
  invite: InviteView;
  token: string;
  /** `/#/signup?invite=TOKEN`: a hash route, so the token never reaches a server log. */
  path: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}
