CREATE TABLE `eval_judge_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`evaluation_id` text NOT NULL,
	`model_id` text NOT NULL,
	`prompt` text NOT NULL,
	`custom_prompt` integer NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`cap_usd` real NOT NULL,
	`spent_usd` real DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `eval_judge_runs_evaluation_idx` ON `eval_judge_runs` (`evaluation_id`,`model_id`);--> statement-breakpoint
CREATE TABLE `eval_judgments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`evaluation_id` text NOT NULL,
	`item_id` text NOT NULL,
	`order` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`unparsed_attempts` integer DEFAULT 0 NOT NULL,
	`retry_at` integer,
	`verdict` text,
	`reason` text,
	`error_kind` text,
	`error_message` text,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`run_id`) REFERENCES `eval_judge_runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`item_id`) REFERENCES `eval_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `eval_judgments_run_item_order_idx` ON `eval_judgments` (`run_id`,`item_id`,`order`);--> statement-breakpoint
CREATE INDEX `eval_judgments_status_idx` ON `eval_judgments` (`status`);--> statement-breakpoint
CREATE TABLE `eval_skips` (
	`item_id` text NOT NULL,
	`voter_id` text NOT NULL,
	`evaluation_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`item_id`, `voter_id`),
	FOREIGN KEY (`item_id`) REFERENCES `eval_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `eval_prompts` ADD `gold` text;--> statement-breakpoint
ALTER TABLE `evaluations` ADD `min_gold_accuracy` real;--> statement-breakpoint
ALTER TABLE `evaluations` ADD `judges_in_standings` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `evaluations` ADD `base_evaluation_id` text;