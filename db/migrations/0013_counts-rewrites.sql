-- counts_maintenance.rewrites goes up with every write that changes the maintained counts other
-- than by adding a vote: a vote re-flagged, re-attributed or deleted, an evaluation vote changed or
-- deleted, an evaluation entering or leaving the public standings or deleted, a rebuild (rows of
-- pair_counts or prompt_counts deleted). While it stays the same, the counts have only grown by the
-- votes with larger ids, and a reader holding them may add just those (server/standings/live-counts.ts).
-- Inserts never touch it: the vote path writes no more than before.
ALTER TABLE `counts_maintenance` ADD `rewrites` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
CREATE TRIGGER votes_rewrites_update AFTER UPDATE OF counted, model_a, model_b, winner, prompt_hash ON votes
  WHEN (OLD.counted = 1 OR NEW.counted = 1) AND (OLD.counted != NEW.counted OR OLD.model_a != NEW.model_a OR OLD.model_b != NEW.model_b
    OR OLD.winner != NEW.winner OR OLD.prompt_hash IS NOT NEW.prompt_hash) BEGIN
  UPDATE counts_maintenance SET rewrites = rewrites + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER votes_rewrites_delete AFTER DELETE ON votes WHEN OLD.counted = 1 BEGIN
  UPDATE counts_maintenance SET rewrites = rewrites + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER eval_votes_rewrites_update AFTER UPDATE OF evaluation_id, model_a, model_b, winner ON eval_votes BEGIN
  UPDATE counts_maintenance SET rewrites = rewrites + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER eval_votes_rewrites_delete AFTER DELETE ON eval_votes BEGIN
  UPDATE counts_maintenance SET rewrites = rewrites + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER evaluations_rewrites_public AFTER UPDATE OF count_in_public ON evaluations WHEN OLD.count_in_public != NEW.count_in_public BEGIN
  UPDATE counts_maintenance SET rewrites = rewrites + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER evaluations_rewrites_delete AFTER DELETE ON evaluations WHEN OLD.count_in_public = 1 BEGIN
  UPDATE counts_maintenance SET rewrites = rewrites + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER pair_counts_rewrites_delete AFTER DELETE ON pair_counts BEGIN
  UPDATE counts_maintenance SET rewrites = rewrites + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER prompt_counts_rewrites_delete AFTER DELETE ON prompt_counts BEGIN
  UPDATE counts_maintenance SET rewrites = rewrites + 1 WHERE id = 1;
END;
