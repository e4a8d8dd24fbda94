ALTER TABLE `votes` ADD `ip` text;--> statement-breakpoint
ALTER TABLE `votes` ADD `flags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `votes` ADD `counted` integer DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX `votes_voter_time_idx` ON `votes` (`voter_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `votes_ip_time_idx` ON `votes` (`ip`,`created_at`);