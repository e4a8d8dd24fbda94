CREATE TABLE `chat_feedback` (
	`chat_id` text NOT NULL,
	`turn` integer NOT NULL,
	`rating` text,
	`flagged` integer DEFAULT false NOT NULL,
	`reason` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`chat_id`, `turn`),
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `chat_feedback_flagged_idx` ON `chat_feedback` (`updated_at`) WHERE "chat_feedback"."flagged" = 1;--> statement-breakpoint
CREATE TABLE `chat_turns` (
	`chat_id` text NOT NULL,
	`turn` integer NOT NULL,
	`prompt` text NOT NULL,
	`finish_reason` text,
	`content` text DEFAULT '' NOT NULL,
	`reasoning` text DEFAULT '' NOT NULL,
	`input_tokens` integer,
	`output_tokens` integer,
	`tokens_estimated` integer,
	`ttft_ms` real,
	`total_ms` real,
	`reasoning_ms` real,
	`error_kind` text,
	`error_message` text,
	`cost_usd` real,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`answered_at` integer,
	PRIMARY KEY(`chat_id`, `turn`),
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `chats` (
	`id` text PRIMARY KEY NOT NULL,
	`voter_id` text NOT NULL,
	`model_id` text NOT NULL,
	`status` text NOT NULL,
	`turns` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `chats_voter_idx` ON `chats` (`voter_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `chats_status_idx` ON `chats` (`status`);