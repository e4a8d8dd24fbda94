/** The Korean catalogue (catalogue.ts checks it has exactly the English messages). */
import { admin } from './admin.ts';
import { battle } from './battle.ts';
import { common } from './common.ts';
import { evaluations } from './evaluations.ts';
import { login } from './login.ts';
import { modes } from './modes.ts';

export const ko = { common, battle, admin, evaluations, login, modes };
