/** The `matchmaking` section of arena.config.json: which pair of models the next battle gets (docs/RATINGS.md, "Matchmaking"). */
import { z } from 'zod';
import { MATCHMAKING_POLICIES } from './matchmaking.ts';

export const matchmakingConfigSchema = z
  .strictObject({
    /**
     * `uniform` (default): every pair of enabled models equally likely. `weighted`: pairs ∝ the
     * product of the models' `weight`s, boosted below `boostBelowVotes`, models in an outage left
     * out. `active`: the pairs whose next vote tells neighbours in the standings apart the most.
     */
    policy: z.enum(MATCHMAKING_POLICIES).default('uniform'),
    /** weighted: models with fewer counted votes than this have their weight multiplied by `boostFactor`. */
    boostBelowVotes: z.number().int().min(0).max(1_000_000).default(0),
    boostFactor: z.number().min(1).max(100).default(4),
    /** active: share of draws spread evenly over all pairs, so every pair keeps a chance. */
    explorationFloor: z.number().gt(0).max(1).default(0.1),
    /** active: outside the floor pairs are drawn ∝ gain^concentration (1 is Chiang et al.'s proportional rule). */
    concentration: z.number().min(0).max(16).default(4),
    /** A model whose last `failures` answers failed by its own fault is in an outage for `cooldownSeconds` after the latest (weighted and active leave it out). */
    outage: z
      .strictObject({
        failures: z.number().int().min(1).max(100).default(3),
        cooldownSeconds: z.number().int().min(0).max(86_400).default(300),
      })
      .prefault({}),
  })
  .prefault({});

export type MatchmakingConfig = z.infer<typeof matchmakingConfigSchema>;
