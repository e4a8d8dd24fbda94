-- The maintained counts of the public votes (pair_counts, prompt_counts) on PostgreSQL: the
-- triggers of SQLite's migration 0010 (db/migrations/0010_pair-counts-triggers.sql), one for one,
-- as PL/pgSQL row triggers with the same names, events, columns and conditions. A vote is public
-- when it is a counted arena vote, or a vote of an evaluation that counts in public. Zero rows of
-- pair_counts are kept; zero rows of prompt_counts are deleted. While counts_maintenance.deferred
-- is 1 (inside a bulk write's transaction: an import, `arena migrate-db`) the three insert
-- triggers stand aside and the writer adds the counts of its rows in one pass before it commits;
-- deletes and updates always count, as in SQLite.
--
-- What differs from SQLite, and why it changes nothing:
--   * booleans are PostgreSQL booleans (`NEW.counted`, not `NEW.counted = 1`);
--   * a trigger's WHEN takes no subquery here, so the deferred check is the function's first line;
--   * one INSERT … ON CONFLICT DO UPDATE may not reach a key twice in PostgreSQL (SQLite adds
--     twice): the rows a statement inserts are grouped by key first and added with excluded.n;
--   * pair_counts and prompt_counts are ordinary tables with their primary keys (SQLite's are
--     WITHOUT ROWID, a storage choice);
--   * no backfill of existing votes: this runs right after 0000, on empty tables.
INSERT INTO counts_maintenance (id, deferred) VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION counts_deferred() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT (SELECT deferred FROM counts_maintenance WHERE id = 1) IS NOT DISTINCT FROM 1
$$;
--> statement-breakpoint

-- Arena votes. A new vote has no categories yet (they are indexed after it, below).
CREATE FUNCTION votes_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF counts_deferred() THEN RETURN NULL; END IF;
  INSERT INTO pair_counts (category, model_a, model_b, winner, n) VALUES ('all', NEW.model_a, NEW.model_b, NEW.winner, 1)
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = pair_counts.n + 1;
  IF NEW.prompt_hash != '' AND NEW.model_a != NEW.model_b THEN
    INSERT INTO prompt_counts (prompt_hash, n) VALUES (NEW.prompt_hash, 1)
      ON CONFLICT (prompt_hash) DO UPDATE SET n = prompt_counts.n + 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER votes_counts_insert AFTER INSERT ON votes FOR EACH ROW WHEN (NEW.counted) EXECUTE FUNCTION votes_counts_insert();
--> statement-breakpoint
CREATE FUNCTION votes_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE pair_counts SET n = n - 1
    WHERE model_a = OLD.model_a AND model_b = OLD.model_b AND winner = OLD.winner
      AND category IN (SELECT 'all' UNION ALL SELECT c.category FROM vote_categories c WHERE c.source = 0 AND c.vote_id = OLD.id);
  IF OLD.model_a != OLD.model_b THEN
    UPDATE prompt_counts SET n = n - 1 WHERE prompt_hash = OLD.prompt_hash;
  END IF;
  DELETE FROM prompt_counts WHERE prompt_hash = OLD.prompt_hash AND n <= 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER votes_counts_delete AFTER DELETE ON votes FOR EACH ROW WHEN (OLD.counted) EXECUTE FUNCTION votes_counts_delete();
--> statement-breakpoint
CREATE FUNCTION votes_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.counted THEN
    UPDATE pair_counts SET n = n - 1
      WHERE model_a = OLD.model_a AND model_b = OLD.model_b AND winner = OLD.winner
        AND category IN (SELECT 'all' UNION ALL SELECT c.category FROM vote_categories c WHERE c.source = 0 AND c.vote_id = OLD.id);
  END IF;
  IF NEW.counted THEN
    INSERT INTO pair_counts (category, model_a, model_b, winner, n)
      SELECT k.category, NEW.model_a, NEW.model_b, NEW.winner, count(*)
      FROM (SELECT 'all' AS category UNION ALL SELECT c.category FROM vote_categories c WHERE c.source = 0 AND c.vote_id = NEW.id) k
      GROUP BY k.category
      ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = pair_counts.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER votes_counts_update AFTER UPDATE OF counted, model_a, model_b, winner ON votes FOR EACH ROW
  WHEN (OLD.counted != NEW.counted OR OLD.model_a != NEW.model_a OR OLD.model_b != NEW.model_b OR OLD.winner != NEW.winner)
  EXECUTE FUNCTION votes_counts_update();
--> statement-breakpoint
CREATE FUNCTION votes_prompt_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.counted AND OLD.model_a != OLD.model_b THEN
    UPDATE prompt_counts SET n = n - 1 WHERE prompt_hash = OLD.prompt_hash;
  END IF;
  DELETE FROM prompt_counts WHERE prompt_hash = OLD.prompt_hash AND n <= 0;
  IF NEW.counted AND NEW.prompt_hash != '' AND NEW.model_a != NEW.model_b THEN
    INSERT INTO prompt_counts (prompt_hash, n) VALUES (NEW.prompt_hash, 1)
      ON CONFLICT (prompt_hash) DO UPDATE SET n = prompt_counts.n + 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER votes_prompt_counts_update AFTER UPDATE OF counted, prompt_hash, model_a, model_b ON votes FOR EACH ROW
  WHEN (OLD.counted != NEW.counted OR OLD.prompt_hash IS DISTINCT FROM NEW.prompt_hash OR (OLD.model_a = OLD.model_b) != (NEW.model_a = NEW.model_b))
  EXECUTE FUNCTION votes_prompt_counts_update();
--> statement-breakpoint

-- A vote's categories: source 0 is votes.id, 1 is eval_votes.id.
CREATE FUNCTION vote_categories_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF counts_deferred() THEN RETURN NULL; END IF;
  INSERT INTO pair_counts (category, model_a, model_b, winner, n)
    SELECT NEW.category, v.model_a, v.model_b, v.winner, 1 FROM votes v WHERE NEW.source = 0 AND v.id = NEW.vote_id AND v.counted
    UNION ALL
    SELECT NEW.category, v.model_a, v.model_b, v.winner, 1 FROM eval_votes v JOIN evaluations e ON e.id = v.evaluation_id
      WHERE NEW.source = 1 AND v.id = NEW.vote_id AND e.count_in_public
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = pair_counts.n + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER vote_categories_counts_insert AFTER INSERT ON vote_categories FOR EACH ROW EXECUTE FUNCTION vote_categories_counts_insert();
--> statement-breakpoint
CREATE FUNCTION vote_categories_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE pair_counts SET n = n - 1
    WHERE category = OLD.category AND (model_a, model_b, winner) IN (
      SELECT v.model_a, v.model_b, v.winner FROM votes v WHERE OLD.source = 0 AND v.id = OLD.vote_id AND v.counted
      UNION ALL
      SELECT v.model_a, v.model_b, v.winner FROM eval_votes v JOIN evaluations e ON e.id = v.evaluation_id
        WHERE OLD.source = 1 AND v.id = OLD.vote_id AND e.count_in_public);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER vote_categories_counts_delete AFTER DELETE ON vote_categories FOR EACH ROW EXECUTE FUNCTION vote_categories_counts_delete();
--> statement-breakpoint

-- Evaluation votes (a new one has no categories yet).
CREATE FUNCTION eval_votes_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF counts_deferred() THEN RETURN NULL; END IF;
  INSERT INTO pair_counts (category, model_a, model_b, winner, n)
    SELECT 'all', NEW.model_a, NEW.model_b, NEW.winner, 1 FROM evaluations e WHERE e.id = NEW.evaluation_id AND e.count_in_public
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = pair_counts.n + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER eval_votes_counts_insert AFTER INSERT ON eval_votes FOR EACH ROW EXECUTE FUNCTION eval_votes_counts_insert();
--> statement-breakpoint
CREATE FUNCTION eval_votes_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE pair_counts SET n = n - 1
    WHERE model_a = OLD.model_a AND model_b = OLD.model_b AND winner = OLD.winner
      AND EXISTS (SELECT 1 FROM evaluations e WHERE e.id = OLD.evaluation_id AND e.count_in_public)
      AND category IN (SELECT 'all' UNION ALL SELECT c.category FROM vote_categories c WHERE c.source = 1 AND c.vote_id = OLD.id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER eval_votes_counts_delete AFTER DELETE ON eval_votes FOR EACH ROW EXECUTE FUNCTION eval_votes_counts_delete();
--> statement-breakpoint
CREATE FUNCTION eval_votes_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE pair_counts SET n = n - 1
    WHERE model_a = OLD.model_a AND model_b = OLD.model_b AND winner = OLD.winner
      AND EXISTS (SELECT 1 FROM evaluations e WHERE e.id = OLD.evaluation_id AND e.count_in_public)
      AND category IN (SELECT 'all' UNION ALL SELECT c.category FROM vote_categories c WHERE c.source = 1 AND c.vote_id = OLD.id);
  INSERT INTO pair_counts (category, model_a, model_b, winner, n)
    SELECT k.category, NEW.model_a, NEW.model_b, NEW.winner, count(*)
    FROM (SELECT 'all' AS category UNION ALL SELECT c.category FROM vote_categories c WHERE c.source = 1 AND c.vote_id = NEW.id) k
    WHERE EXISTS (SELECT 1 FROM evaluations e WHERE e.id = NEW.evaluation_id AND e.count_in_public)
    GROUP BY k.category
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = pair_counts.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER eval_votes_counts_update AFTER UPDATE OF evaluation_id, model_a, model_b, winner ON eval_votes FOR EACH ROW
  EXECUTE FUNCTION eval_votes_counts_update();
--> statement-breakpoint

-- An evaluation starting or ceasing to count in public moves all of its votes at once.
CREATE FUNCTION evaluations_counts_public() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pair_counts (category, model_a, model_b, winner, n)
    SELECT k.category, k.model_a, k.model_b, k.winner, CASE WHEN NEW.count_in_public THEN sum(k.n) ELSE -sum(k.n) END
    FROM (
      SELECT 'all' AS category, v.model_a, v.model_b, v.winner, count(*) AS n FROM eval_votes v WHERE v.evaluation_id = NEW.id
        GROUP BY v.model_a, v.model_b, v.winner
      UNION ALL
      SELECT c.category, v.model_a, v.model_b, v.winner, count(*) AS n FROM eval_votes v
        JOIN vote_categories c ON c.source = 1 AND c.vote_id = v.id WHERE v.evaluation_id = NEW.id
        GROUP BY c.category, v.model_a, v.model_b, v.winner
    ) k
    GROUP BY k.category, k.model_a, k.model_b, k.winner
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = pair_counts.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER evaluations_counts_public AFTER UPDATE OF count_in_public ON evaluations FOR EACH ROW
  WHEN (OLD.count_in_public != NEW.count_in_public) EXECUTE FUNCTION evaluations_counts_public();
--> statement-breakpoint
CREATE FUNCTION evaluations_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pair_counts (category, model_a, model_b, winner, n)
    SELECT k.category, k.model_a, k.model_b, k.winner, -sum(k.n)
    FROM (
      SELECT 'all' AS category, v.model_a, v.model_b, v.winner, count(*) AS n FROM eval_votes v WHERE v.evaluation_id = OLD.id
        GROUP BY v.model_a, v.model_b, v.winner
      UNION ALL
      SELECT c.category, v.model_a, v.model_b, v.winner, count(*) AS n FROM eval_votes v
        JOIN vote_categories c ON c.source = 1 AND c.vote_id = v.id WHERE v.evaluation_id = OLD.id
        GROUP BY c.category, v.model_a, v.model_b, v.winner
    ) k
    GROUP BY k.category, k.model_a, k.model_b, k.winner
    ON CONFLICT (category, model_a, model_b, winner) DO UPDATE SET n = pair_counts.n + excluded.n;
  RETURN OLD;
END $$;
--> statement-breakpoint
CREATE TRIGGER evaluations_counts_delete BEFORE DELETE ON evaluations FOR EACH ROW
  WHEN (OLD.count_in_public) EXECUTE FUNCTION evaluations_counts_delete();
