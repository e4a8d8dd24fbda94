CREATE TABLE `vote_categories` (
	`category` text NOT NULL,
	`source` integer NOT NULL,
	`vote_id` integer NOT NULL,
	PRIMARY KEY(`category`, `source`, `vote_id`)
);
--> statement-breakpoint
ALTER TABLE `models` ADD `deprecated` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `votes` ADD `categories` text;--> statement-breakpoint
CREATE INDEX `votes_uncategorized_idx` ON `votes` (`id`) WHERE "votes"."categories" IS NULL;--> statement-breakpoint
ALTER TABLE `eval_votes` ADD `categories` text;--> statement-breakpoint
CREATE INDEX `eval_votes_uncategorized_idx` ON `eval_votes` (`id`) WHERE "eval_votes"."categories" IS NULL;