/** The English catalogue: the reference every other language must match (catalogue.ts). */
import { battle } from './battle.ts';
import { common } from './common.ts';
import { modes } from './modes.ts';

export const en = { common, battle, modes } as const;
