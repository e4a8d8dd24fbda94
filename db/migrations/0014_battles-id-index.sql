-- battles.id unique by an index instead of the primary key (a bulk import builds the index sorted
-- after its load). SQLite cannot change a primary key in place: the table is rebuilt, keeping its
-- rowids and column order. openDb runs migrations with foreign keys off; the last statements check
-- the references to battles inside the migration's transaction, so a broken one rolls it back.
CREATE TABLE `__new_battles` (
	`id` text NOT NULL,
	`mode` text DEFAULT 'arena' NOT NULL,
	`model_a` text NOT NULL,
	`model_b` text NOT NULL,
	`status` text NOT NULL,
	`voter_id` text NOT NULL,
	`turns` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`instance_id` text,
	FOREIGN KEY (`model_a`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`model_b`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_battles`(rowid, "id", "mode", "model_a", "model_b", "status", "voter_id", "turns", "created_at", "updated_at", "instance_id") SELECT rowid, "id", "mode", "model_a", "model_b", "status", "voter_id", "turns", "created_at", "updated_at", "instance_id" FROM `battles` ORDER BY rowid;--> statement-breakpoint
DROP TABLE `battles`;--> statement-breakpoint
ALTER TABLE `__new_battles` RENAME TO `battles`;--> statement-breakpoint
CREATE UNIQUE INDEX `battles_id_idx` ON `battles` (`id`);--> statement-breakpoint
CREATE INDEX `battles_voter_idx` ON `battles` (`voter_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `battles_status_idx` ON `battles` (`status`);--> statement-breakpoint
CREATE INDEX `battles_created_idx` ON `battles` (`created_at`);;--> statement-breakpoint
CREATE TEMP TABLE `migration_0014_check` (`broken_references` integer CHECK (`broken_references` = 0));--> statement-breakpoint
INSERT INTO `migration_0014_check` SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('turns') UNION ALL SELECT 1 FROM pragma_foreign_key_check('answers') UNION ALL SELECT 1 FROM pragma_foreign_key_check('votes'));--> statement-breakpoint
DROP TABLE `migration_0014_check`;
