/** The Korean catalogue (catalogue.ts checks it has exactly the English messages). */
import { admin } from './admin.ts';
import { battle } from './battle.ts';
import { charts } from './charts.ts';
import { common } from './common.ts';
import { evaluations } from './evaluations.ts';
import { history } from './history.ts';
import { leaderboard } from './leaderboard.ts';
import { login } from './login.ts';
import { model } from './model.ts';
import { modes } from './modes.ts';
import { snapshot } from './snapshot.ts';

export const ko = { common, battle, admin, charts, evaluations, history, leaderboard, login, model, modes, snapshot };
