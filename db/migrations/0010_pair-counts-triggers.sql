-- Maintained counts of the public votes (db/schema.ts pair_counts, prompt_counts), kept by
-- triggers so every write path (votes, imports, evaluations, categories, deletions, re-flags)
-- updates them in its own transaction. A vote is public when it is a counted arena vote, or a vote
-- of an evaluation that counts in public (server/standings/ratings-repo.ts publicVotes). Zero
-- rows of pair_counts are kept (the table is bounded by pairs × outcomes × categories); zero rows
-- of prompt_counts are deleted, so its size is the number of distinct prompts. A bulk import may
-- defer the insert triggers inside its transaction (counts_maintenance.deferred) and add the
-- counts of its new rows in one pass before it commits (server/standings/pair-counts-repo.ts).
INSERT INTO counts_maintenance (id, deferred) VALUES (1, 0);
--> statement-breakpoint
-- The two tables of 0009 again, clustered on their keys (WITHOUT ROWID): a vote's upsert touches one
-- b-tree instead of two, and a category's cells are read in key order without a lookup per row.
DROP TABLE `pair_counts`;
--> statement-breakpoint
CREATE TABLE `pair_counts` (
	`category` text NOT NULL,
	`model_a` text NOT NULL,
	`model_b` text NOT NULL,
	`winner` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`category`, `model_a`, `model_b`, `winner`)
) WITHOUT ROWID;
--> statement-breakpoint
DROP TABLE `prompt_counts`;
--> statement-breakpoint
CREATE TABLE `prompt_counts` (
	`prompt_hash` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `prompt_counts_n_idx` ON `prompt_counts` (`n`);
--> statement-breakpoint

-- Arena votes. A new vote has no categories yet (they are indexed after it, below).
CREATE TRIGGER votes_counts_insert AFTER INSERT ON votes WHEN NEW.counted = 1 AND (SELECT deferred FROM counts_maintenance WHERE id = 1) IS NOT 1 BEGIN
  INSERT INTO pair_counts (category, model_a, model_b, winner, n) VALUES ('all', NEW.model_a, NEW.model_b, NEW.winner, 1)
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = n + 1;
  INSERT INTO prompt_counts (prompt_hash, n) SELECT NEW.prompt_hash, 1 WHERE NEW.prompt_hash != '' AND NEW.model_a != NEW.model_b
    ON CONFLICT (prompt_hash) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER votes_counts_delete AFTER DELETE ON votes WHEN OLD.counted = 1 BEGIN
  UPDATE pair_counts SET n = n - 1
    WHERE model_a = OLD.model_a AND model_b = OLD.model_b AND winner = OLD.winner
      AND category IN (SELECT 'all' UNION ALL SELECT category FROM vote_categories WHERE source = 0 AND vote_id = OLD.id);
  UPDATE prompt_counts SET n = n - 1 WHERE prompt_hash = OLD.prompt_hash AND OLD.model_a != OLD.model_b;
  DELETE FROM prompt_counts WHERE prompt_hash = OLD.prompt_hash AND n <= 0;
END;
--> statement-breakpoint
CREATE TRIGGER votes_counts_update AFTER UPDATE OF counted, model_a, model_b, winner ON votes
  WHEN OLD.counted != NEW.counted OR OLD.model_a != NEW.model_a OR OLD.model_b != NEW.model_b OR OLD.winner != NEW.winner BEGIN
  UPDATE pair_counts SET n = n - 1
    WHERE OLD.counted = 1 AND model_a = OLD.model_a AND model_b = OLD.model_b AND winner = OLD.winner
      AND category IN (SELECT 'all' UNION ALL SELECT category FROM vote_categories WHERE source = 0 AND vote_id = OLD.id);
  INSERT INTO pair_counts (category, model_a, model_b, winner, n)
    SELECT k.category, NEW.model_a, NEW.model_b, NEW.winner, 1
    FROM (SELECT 'all' AS category UNION ALL SELECT category FROM vote_categories WHERE source = 0 AND vote_id = NEW.id) k
    WHERE NEW.counted = 1
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER votes_prompt_counts_update AFTER UPDATE OF counted, prompt_hash, model_a, model_b ON votes
  WHEN OLD.counted != NEW.counted OR OLD.prompt_hash IS NOT NEW.prompt_hash OR (OLD.model_a = OLD.model_b) != (NEW.model_a = NEW.model_b) BEGIN
  UPDATE prompt_counts SET n = n - 1 WHERE OLD.counted = 1 AND prompt_hash = OLD.prompt_hash AND OLD.model_a != OLD.model_b;
  DELETE FROM prompt_counts WHERE prompt_hash = OLD.prompt_hash AND n <= 0;
  INSERT INTO prompt_counts (prompt_hash, n) SELECT NEW.prompt_hash, 1 WHERE NEW.counted = 1 AND NEW.prompt_hash != '' AND NEW.model_a != NEW.model_b
    ON CONFLICT (prompt_hash) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
-- A vote's categories: source 0 is votes.id, 1 is eval_votes.id.
CREATE TRIGGER vote_categories_counts_insert AFTER INSERT ON vote_categories WHEN (SELECT deferred FROM counts_maintenance WHERE id = 1) IS NOT 1 BEGIN
  INSERT INTO pair_counts (category, model_a, model_b, winner, n)
    SELECT NEW.category, v.model_a, v.model_b, v.winner, 1 FROM votes v WHERE NEW.source = 0 AND v.id = NEW.vote_id AND v.counted = 1
    UNION ALL
    SELECT NEW.category, v.model_a, v.model_b, v.winner, 1 FROM eval_votes v JOIN evaluations e ON e.id = v.evaluation_id
      WHERE NEW.source = 1 AND v.id = NEW.vote_id AND e.count_in_public = 1
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER vote_categories_counts_delete AFTER DELETE ON vote_categories BEGIN
  UPDATE pair_counts SET n = n - 1
    WHERE category = OLD.category AND (model_a, model_b, winner) IN (
      SELECT v.model_a, v.model_b, v.winner FROM votes v WHERE OLD.source = 0 AND v.id = OLD.vote_id AND v.counted = 1
      UNION ALL
      SELECT v.model_a, v.model_b, v.winner FROM eval_votes v JOIN evaluations e ON e.id = v.evaluation_id
        WHERE OLD.source = 1 AND v.id = OLD.vote_id AND e.count_in_public = 1);
END;
--> statement-breakpoint
-- Evaluation votes (a new one has no categories yet).
CREATE TRIGGER eval_votes_counts_insert AFTER INSERT ON eval_votes WHEN (SELECT deferred FROM counts_maintenance WHERE id = 1) IS NOT 1 BEGIN
  INSERT INTO pair_counts (category, model_a, model_b, winner, n)
    SELECT 'all', NEW.model_a, NEW.model_b, NEW.winner, 1 FROM evaluations e WHERE e.id = NEW.evaluation_id AND e.count_in_public = 1
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER eval_votes_counts_delete AFTER DELETE ON eval_votes BEGIN
  UPDATE pair_counts SET n = n - 1
    WHERE model_a = OLD.model_a AND model_b = OLD.model_b AND winner = OLD.winner
      AND EXISTS (SELECT 1 FROM evaluations e WHERE e.id = OLD.evaluation_id AND e.count_in_public = 1)
      AND category IN (SELECT 'all' UNION ALL SELECT category FROM vote_categories WHERE source = 1 AND vote_id = OLD.id);
END;
--> statement-breakpoint
CREATE TRIGGER eval_votes_counts_update AFTER UPDATE OF evaluation_id, model_a, model_b, winner ON eval_votes BEGIN
  UPDATE pair_counts SET n = n - 1
    WHERE model_a = OLD.model_a AND model_b = OLD.model_b AND winner = OLD.winner
      AND EXISTS (SELECT 1 FROM evaluations e WHERE e.id = OLD.evaluation_id AND e.count_in_public = 1)
      AND category IN (SELECT 'all' UNION ALL SELECT category FROM vote_categories WHERE source = 1 AND vote_id = OLD.id);
  INSERT INTO pair_counts (category, model_a, model_b, winner, n)
    SELECT k.category, NEW.model_a, NEW.model_b, NEW.winner, 1
    FROM (SELECT 'all' AS category UNION ALL SELECT category FROM vote_categories WHERE source = 1 AND vote_id = NEW.id) k
    WHERE EXISTS (SELECT 1 FROM evaluations e WHERE e.id = NEW.evaluation_id AND e.count_in_public = 1)
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
-- An evaluation starting or ceasing to count in public moves all of its votes at once.
CREATE TRIGGER evaluations_counts_public AFTER UPDATE OF count_in_public ON evaluations WHEN OLD.count_in_public != NEW.count_in_public BEGIN
  INSERT INTO pair_counts (category, model_a, model_b, winner, n)
    SELECT k.category, k.model_a, k.model_b, k.winner, CASE WHEN NEW.count_in_public = 1 THEN k.n ELSE -k.n END
    FROM (
      SELECT 'all' AS category, v.model_a, v.model_b, v.winner, count(*) AS n FROM eval_votes v WHERE v.evaluation_id = NEW.id
        GROUP BY v.model_a, v.model_b, v.winner
      UNION ALL
      SELECT c.category, v.model_a, v.model_b, v.winner, count(*) AS n FROM eval_votes v
        JOIN vote_categories c ON c.source = 1 AND c.vote_id = v.id WHERE v.evaluation_id = NEW.id
        GROUP BY c.category, v.model_a, v.model_b, v.winner
    ) k
    WHERE true
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER evaluations_counts_delete BEFORE DELETE ON evaluations WHEN OLD.count_in_public = 1 BEGIN
  INSERT INTO pair_counts (category, model_a, model_b, winner, n)
    SELECT k.category, k.model_a, k.model_b, k.winner, -k.n
    FROM (
      SELECT 'all' AS category, v.model_a, v.model_b, v.winner, count(*) AS n FROM eval_votes v WHERE v.evaluation_id = OLD.id
        GROUP BY v.model_a, v.model_b, v.winner
      UNION ALL
      SELECT c.category, v.model_a, v.model_b, v.winner, count(*) AS n FROM eval_votes v
        JOIN vote_categories c ON c.source = 1 AND c.vote_id = v.id WHERE v.evaluation_id = OLD.id
        GROUP BY c.category, v.model_a, v.model_b, v.winner
    ) k
    WHERE true
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
-- The counts of the votes already there (the same queries as server/standings/pair-counts-repo.ts recount).
INSERT INTO pair_counts (category, model_a, model_b, winner, n)
  SELECT category, model_a, model_b, winner, sum(n) FROM (
    SELECT 'all' AS category, model_a, model_b, winner, count(*) AS n FROM votes WHERE counted = 1 GROUP BY model_a, model_b, winner
    UNION ALL
    SELECT 'all', v.model_a, v.model_b, v.winner, count(*) FROM eval_votes v JOIN evaluations e ON e.id = v.evaluation_id
      WHERE e.count_in_public = 1 GROUP BY v.model_a, v.model_b, v.winner
    UNION ALL
    SELECT c.category, v.model_a, v.model_b, v.winner, count(*) FROM vote_categories c JOIN votes v ON c.source = 0 AND v.id = c.vote_id
      WHERE v.counted = 1 GROUP BY c.category, v.model_a, v.model_b, v.winner
    UNION ALL
    SELECT c.category, v.model_a, v.model_b, v.winner, count(*) FROM vote_categories c JOIN eval_votes v ON c.source = 1 AND v.id = c.vote_id
      JOIN evaluations e ON e.id = v.evaluation_id WHERE e.count_in_public = 1 GROUP BY c.category, v.model_a, v.model_b, v.winner
  ) GROUP BY category, model_a, model_b, winner;
--> statement-breakpoint
INSERT INTO prompt_counts (prompt_hash, n)
  SELECT prompt_hash, count(*) FROM votes WHERE counted = 1 AND prompt_hash != '' AND model_a != model_b GROUP BY prompt_hash;
