/** The English catalogue: the reference every other language must match (catalogue.ts). */
import { battle } from './battle.ts';
import { common } from './common.ts';
import { evaluations } from './evaluations.ts';

export const en = { common, battle, evaluations } as const;
