ALTER TABLE `eval_generations` ADD `instance_id` text;--> statement-breakpoint
ALTER TABLE `eval_judgments` ADD `instance_id` text;