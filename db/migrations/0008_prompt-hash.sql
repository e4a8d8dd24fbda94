ALTER TABLE `votes` ADD `prompt_hash` text;--> statement-breakpoint
CREATE INDEX `votes_prompt_hash_idx` ON `votes` (`prompt_hash`);