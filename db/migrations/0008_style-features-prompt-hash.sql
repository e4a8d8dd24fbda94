ALTER TABLE `answers` ADD `style_tokens` integer;--> statement-breakpoint
ALTER TABLE `answers` ADD `style_headers` integer;--> statement-breakpoint
ALTER TABLE `answers` ADD `style_list_items` integer;--> statement-breakpoint
ALTER TABLE `answers` ADD `style_bold` integer;--> statement-breakpoint
CREATE INDEX `answers_unstyled_idx` ON `answers` (`id`) WHERE "answers"."style_tokens" IS NULL;--> statement-breakpoint
ALTER TABLE `votes` ADD `prompt_hash` text;--> statement-breakpoint
CREATE INDEX `votes_prompt_hash_idx` ON `votes` (`prompt_hash`);--> statement-breakpoint
ALTER TABLE `eval_generations` ADD `style_tokens` integer;--> statement-breakpoint
ALTER TABLE `eval_generations` ADD `style_headers` integer;--> statement-breakpoint
ALTER TABLE `eval_generations` ADD `style_list_items` integer;--> statement-breakpoint
ALTER TABLE `eval_generations` ADD `style_bold` integer;