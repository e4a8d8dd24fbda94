CREATE TABLE `answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`battle_id` text NOT NULL,
	`turn` integer NOT NULL,
	`side` text NOT NULL,
	`model_id` text NOT NULL,
	`content` text NOT NULL,
	`reasoning` text DEFAULT '' NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`tokens_estimated` integer NOT NULL,
	`ttft_ms` real,
	`total_ms` real NOT NULL,
	`reasoning_ms` real,
	`finish_reason` text NOT NULL,
	`error_kind` text,
	`error_message` text,
	`cost_usd` real,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`battle_id`) REFERENCES `battles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `answers_battle_turn_side_idx` ON `answers` (`battle_id`,`turn`,`side`);--> statement-breakpoint
CREATE INDEX `answers_model_idx` ON `answers` (`model_id`);--> statement-breakpoint
CREATE TABLE `battles` (
	`id` text PRIMARY KEY NOT NULL,
	`mode` text DEFAULT 'arena' NOT NULL,
	`model_a` text NOT NULL,
	`model_b` text NOT NULL,
	`status` text NOT NULL,
	`voter_id` text NOT NULL,
	`turns` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`model_a`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`model_b`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `battles_voter_idx` ON `battles` (`voter_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `battles_status_idx` ON `battles` (`status`);--> statement-breakpoint
CREATE TABLE `models` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`provider` text NOT NULL,
	`settings` text NOT NULL,
	`source` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ratings` (
	`model_id` text PRIMARY KEY NOT NULL,
	`rating` real NOT NULL,
	`games` integer DEFAULT 0 NOT NULL,
	`wins` integer DEFAULT 0 NOT NULL,
	`losses` integer DEFAULT 0 NOT NULL,
	`ties` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `turns` (
	`battle_id` text NOT NULL,
	`turn` integer NOT NULL,
	`prompt` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`battle_id`, `turn`),
	FOREIGN KEY (`battle_id`) REFERENCES `battles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `votes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`battle_id` text NOT NULL,
	`vote_id` text,
	`voter_id` text NOT NULL,
	`winner` text NOT NULL,
	`model_a` text NOT NULL,
	`model_b` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`battle_id`) REFERENCES `battles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `votes_battle_idx` ON `votes` (`battle_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `votes_vote_id_idx` ON `votes` (`vote_id`);