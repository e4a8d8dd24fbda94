CREATE TABLE `counts_maintenance` (
	`id` integer PRIMARY KEY NOT NULL,
	`deferred` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pair_counts` (
	`category` text NOT NULL,
	`model_a` text NOT NULL,
	`model_b` text NOT NULL,
	`winner` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`category`, `model_a`, `model_b`, `winner`)
);
--> statement-breakpoint
CREATE TABLE `prompt_counts` (
	`prompt_hash` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `prompt_counts_n_idx` ON `prompt_counts` (`n`);--> statement-breakpoint
DROP INDEX `votes_prompt_hash_idx`;--> statement-breakpoint
DROP INDEX `votes_vote_id_idx`;--> statement-breakpoint
DROP INDEX `votes_ip_time_idx`;--> statement-breakpoint
CREATE INDEX `votes_prompt_cells_idx` ON `votes` (`prompt_hash`,`counted`,`model_a`,`model_b`,`winner`) WHERE "votes"."prompt_hash" != '';--> statement-breakpoint
CREATE UNIQUE INDEX `votes_vote_id_idx` ON `votes` (`vote_id`) WHERE "votes"."vote_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `votes_ip_time_idx` ON `votes` (`ip`,`created_at`) WHERE "votes"."ip" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `vote_categories_vote_idx` ON `vote_categories` (`source`,`vote_id`);