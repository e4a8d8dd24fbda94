-- counts_maintenance.rewrites, as SQLite's migration 0013 (db/migrations/0013_counts-rewrites.sql):
-- up with every write that changes the maintained counts other than by adding a vote. The same
-- trigger names, events and conditions; the deletes of pair_counts and prompt_counts bump once per
-- statement here (PostgreSQL has statement triggers), which a reader cannot tell from once per row.
ALTER TABLE "counts_maintenance" ADD COLUMN "rewrites" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
CREATE FUNCTION counts_rewritten() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE counts_maintenance SET rewrites = rewrites + 1 WHERE id = 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER votes_rewrites_update AFTER UPDATE OF counted, model_a, model_b, winner, prompt_hash ON votes FOR EACH ROW
  WHEN ((OLD.counted OR NEW.counted) AND (OLD.counted != NEW.counted OR OLD.model_a != NEW.model_a OR OLD.model_b != NEW.model_b
    OR OLD.winner != NEW.winner OR OLD.prompt_hash IS DISTINCT FROM NEW.prompt_hash)) EXECUTE FUNCTION counts_rewritten();
--> statement-breakpoint
CREATE TRIGGER votes_rewrites_delete AFTER DELETE ON votes FOR EACH ROW WHEN (OLD.counted) EXECUTE FUNCTION counts_rewritten();
--> statement-breakpoint
CREATE TRIGGER eval_votes_rewrites_update AFTER UPDATE OF evaluation_id, model_a, model_b, winner ON eval_votes FOR EACH ROW EXECUTE FUNCTION counts_rewritten();
--> statement-breakpoint
CREATE TRIGGER eval_votes_rewrites_delete AFTER DELETE ON eval_votes FOR EACH ROW EXECUTE FUNCTION counts_rewritten();
--> statement-breakpoint
CREATE TRIGGER evaluations_rewrites_public AFTER UPDATE OF count_in_public ON evaluations FOR EACH ROW
  WHEN (OLD.count_in_public != NEW.count_in_public) EXECUTE FUNCTION counts_rewritten();
--> statement-breakpoint
CREATE TRIGGER evaluations_rewrites_delete AFTER DELETE ON evaluations FOR EACH ROW WHEN (OLD.count_in_public) EXECUTE FUNCTION counts_rewritten();
--> statement-breakpoint
CREATE TRIGGER pair_counts_rewrites_delete AFTER DELETE ON pair_counts FOR EACH STATEMENT EXECUTE FUNCTION counts_rewritten();
--> statement-breakpoint
CREATE TRIGGER prompt_counts_rewrites_delete AFTER DELETE ON prompt_counts FOR EACH STATEMENT EXECUTE FUNCTION counts_rewritten();
