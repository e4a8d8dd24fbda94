/** The shape every catalogue has: the English one's, with any strings (a missing or extra message fails the type check). */
import type { en } from './en/index.ts';

type Shape<T> = { readonly [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Messages = Shape<typeof en>;

type Paths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Paths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
/** Every message's dotted name, e.g. `battle.vote.a`. */
export type MessageKey = Paths<typeof en>;
