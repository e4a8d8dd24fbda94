/** Signing in, and signing up from an invite link. */
export const login = {
  signUpTitle: 'Create your account',
  invited: 'You were invited to this arena. Choose the email and password you will sign in with.',
  email: 'Email',
  password: 'Password',
  signUp: 'Create account',
  /** Words for the server's refusals (other languages; English shows the server's own). */
  errors: {
    failed: 'The email or password is incorrect.',
    inviteGone: 'This invite link is not valid (used, revoked or expired).',
    otherEmail: 'This invite is for a different email address.',
    emailTaken: 'An account with this email exists; sign in instead.',
  },
} as const;
