CREATE TABLE `snapshots` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_by` integer,
	`view` text NOT NULL,
	`software_version` text NOT NULL,
	`votes_hash` text NOT NULL,
	`votes` integer NOT NULL,
	`bootstrap_rounds` integer,
	`bootstrap_seed` integer,
	`elo_k` real NOT NULL,
	`standings` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `snapshots_created_idx` ON `snapshots` (`created_at`);--> statement-breakpoint
CREATE INDEX `battles_created_idx` ON `battles` (`created_at`);