/** The Korean catalogue (catalogue.ts checks it has exactly the English messages). */
import { battle } from './battle.ts';
import { common } from './common.ts';
import { modes } from './modes.ts';

export const ko = { common, battle, modes };
