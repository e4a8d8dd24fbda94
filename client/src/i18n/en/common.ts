/** Header, navigation, connection notices, roles and the words for every error code. */
export const common = {
  appName: 'Arena',
  nav: { label: 'Main', battle: 'Battle', leaderboard: 'Leaderboard', history: 'History', evaluations: 'Evaluations', admin: 'Admin' },
  account: { signIn: 'Sign in', signOut: 'Sign out', who: '{email} · {role}' },
  language: { label: 'Language' },
  theme: { label: 'Theme', system: 'System', light: 'Light', dark: 'Dark' },
  roles: { admin: 'admin', member: 'member', viewer: 'viewer', anonymous: 'visitor', guest: 'guest' },
  connection: {
    lost: 'Connection lost. Reconnecting… (your battle and any vote you cast are kept)',
    restarting: 'The server is restarting. This page reconnects by itself (your battle and any vote you cast are kept)',
  },
  /** The built-in categories by id (a `tag:` category imported from a file is shown by its tag). */
  categories: {
    'lang:ko': 'Korean',
    'lang:en': 'English',
    'lang:zh': 'Chinese',
    'lang:ja': 'Japanese',
    'lang:other': 'Other languages',
    coding: 'Coding',
    math: 'Math',
    long: 'Long prompts',
    multi_turn: 'Multi-turn',
    evaluation: 'Team evaluations',
  },
  loading: 'Loading…',
  roleCannotOpen: 'Your role ({role}) cannot open this page. The <link>leaderboard</link> is open to everyone.',
  errors: {
    invalid_input: '{field, select, other {{field}: this value is not accepted.} none {This request is not valid.}}',
    unauthorized: 'Please sign in to do this.',
    forbidden: 'Your role does not allow this.',
    not_found: 'Not found (or not yours to see).',
    not_finished: 'Both answers must finish first.',
    already_voted: 'This battle already has a vote.',
    battle_failed: 'A model failed in this battle, so it cannot be voted on. Start a new one.',
    battle_closed: 'This battle was stopped or left unvoted too long. Start a new one.',
    conflict: 'This clashes with the current state; reload and try again.',
    rate_limited:
      '{hasRetry, select, yes {Too many requests: try again in {seconds, plural, one {# second} other {# seconds}}.} other {Too many requests: try again in a moment.}}',
    unavailable: 'The service is not available right now; try again in a moment.',
    internal: 'Something went wrong on the server.',
  },
} as const;
