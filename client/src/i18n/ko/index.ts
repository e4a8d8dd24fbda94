/** The Korean catalogue (catalogue.ts checks it has exactly the English messages). */
import { battle } from './battle.ts';
import { charts } from './charts.ts';
import { common } from './common.ts';
import { history } from './history.ts';
import { model } from './model.ts';
import { snapshot } from './snapshot.ts';

export const ko = { common, battle, history, model, snapshot, charts };
