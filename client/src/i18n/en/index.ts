/** The English catalogue: the reference every other language must match (catalogue.ts). */
import { battle } from './battle.ts';
import { charts } from './charts.ts';
import { common } from './common.ts';
import { history } from './history.ts';
import { model } from './model.ts';
import { snapshot } from './snapshot.ts';

export const en = { common, battle, history, model, snapshot, charts } as const;
