/**
 * Loads a FastChat clean-battle file into the database as ordinary
 * battles, turns, answers and votes, then recomputes the online Elo projection from every counted
 * vote in time order. Idempotent: each row's battle id is a hash of the row's content (and of how
 * many identical rows came before it in the file), inserted with INSERT OR IGNORE.
 */

import type { Sqlite } from '../../db/client.ts';
import { standingsConfigSchema } from '../standings/config.ts';
import { PairCountsRepo } from '../standings/pair-counts-repo.ts';
import { RatingsRepo } from '../standings/ratings-repo.ts';
import { EVAL_VOTE_PREFIX } from './export-store.ts';
import { type DerivedBattle, importedModelId, NAMED_FLAG } from './import-derive.ts';
import { readDerivedBattles } from './import-reader.ts';
import { ImportStore } from './import-store.ts';
import { ImportTally } from './import-tally.ts';

export { importedModelId, NAMED_FLAG } from './import-derive.ts';
export { IMPORT_VOTER_PREFIX } from './import-memo.ts';

const NAMED_FLAGS = Object.freeze([NAMED_FLAG]);
const NO_FLAGS = Object.freeze([] as string[]);

/** The name a model has in battle files (what import maps back to it): its name for imported models, else its id. */
export function fileNameOfModel(id: string, name: string): string {
  return importedModelId(name) === id ? name : id;
}

function earlierVote(store: ImportStore, questionId: string) {
  return questionId.startsWith(EVAL_VOTE_PREFIX) ? store.evalVoteOf(questionId.slice(EVAL_VOTE_PREFIX.length)) : store.voteOf(questionId);
}

export interface ImportSummary {
  read: number;
  imported: number;
  /** Of the imported: votes of non-anonymous battles, kept but not counted. */
  named: number;
  alreadyPresent: number;
  selfBattles: number;
  skippedInvalid: number;
  skippedExamples: string[];
  newModels: string[];
  /** Public votes the online Elo was recomputed from; null when nothing was imported (ratings untouched). */
  countedVotes: number | null;
}

/** Everything inside one transaction on the raw connection: all of the file, or nothing. */
export async function importBattleFile(
  sqlite: Sqlite,
  file: string,
  opts: { skipInvalid: boolean; eloK: number; longPromptTokens?: number; now?: () => number },
): Promise<ImportSummary> {
  const now = opts.now ?? Date.now;
  const summary: ImportSummary = {
    read: 0,
    imported: 0,
    named: 0,
    alreadyPresent: 0,
    selfBattles: 0,
    skippedInvalid: 0,
    skippedExamples: [],
    newModels: [],
    countedVotes: null,
  };
  const store = new ImportStore(sqlite);
  const modelIds = new Map<string, string>();
  const modelOf = (name: string): string => {
    let id = modelIds.get(name);
    if (id === undefined) {
      id = importedModelId(name);
      const settings = { id, name, provider: 'openai', model: name.slice(0, 200), enabled: false, weight: 1 };
      if (store.addModel(id, name, JSON.stringify(settings))) summary.newModels.push(name);
      modelIds.set(name, id);
    }
    return id;
  };
  const tally = new ImportTally();

  const add = (battle: DerivedBattle) => {
    const modelA = modelOf(battle.nameA);
    const modelB = modelOf(battle.nameB);
    const { winner, categories } = battle;
    // A row exported from an arena carries its battle id as question_id (an evaluation vote's
    // `eval-vote-<id>`): already here if that vote matches.
    const earlier = battle.questionId === null ? undefined : earlierVote(store, battle.questionId);
    if (earlier && earlier.modelA === modelA && earlier.modelB === modelB && earlier.winner === winner) return void summary.alreadyPresent++;
    const flags = battle.named ? NAMED_FLAGS : NO_FLAGS;
    if (!store.addBattle(battle, modelA, modelB, flags)) return void summary.alreadyPresent++;
    tally.add({ modelA, modelB, winner, counted: flags.length === 0, categories, promptHash: battle.promptHash, at: battle.at });
    summary.imported++;
    if (battle.named) summary.named++;
  };

  return store.inOneTransaction(async () => {
    const ratings = new RatingsRepo(sqlite, now);
    const firstPublicVotes = !ratings.hasPublicVotes();
    // The pair-count triggers stand aside; the imported votes are counted as they are added.
    const counts = new PairCountsRepo(sqlite);
    counts.deferCounts();
    const { read, derived } = await store.load(() =>
      readDerivedBattles(
        {
          file,
          skipInvalid: opts.skipInvalid,
          longPromptTokens: opts.longPromptTokens ?? standingsConfigSchema.parse({}).longPromptTokens,
          importedAt: now(),
        },
        add,
      ),
    );
    counts.addDeferred(tally.cells(), tally.prompts());
    summary.read = derived.read;
    summary.selfBattles = derived.selfBattles;
    summary.skippedInvalid = read.skipped + derived.skippedInvalid;
    summary.skippedExamples = [...read.skippedExamples, ...derived.skippedExamples].slice(0, 5);
    // Nothing new, nothing to recompute (the projection is already that of these votes). When the
    // imported votes are the only public ones, their Elo is the recompute's, without reading them back.
    if (summary.imported === 0) summary.countedVotes = null;
    else if (!firstPublicVotes) summary.countedVotes = ratings.recompute(opts.eloK);
    else {
      ratings.replaceAll(tally.onlineElo(opts.eloK));
      summary.countedVotes = tally.counted;
    }
    return summary;
  });
}
