/** The English catalogue: the reference every other language must match (catalogue.ts). */
import { admin } from './admin.ts';
import { battle } from './battle.ts';
import { common } from './common.ts';
import { evaluations } from './evaluations.ts';
import { login } from './login.ts';
import { modes } from './modes.ts';

export const en = { common, battle, admin, evaluations, login, modes } as const;
